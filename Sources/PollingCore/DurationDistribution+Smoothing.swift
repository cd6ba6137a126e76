extension DurationDistribution {
    /// The distribution with every point mass spread uniformly over the span between the
    /// midpoints to its neighbouring atoms (the first and last atoms keep the observed minimum
    /// and maximum as outer ends); uniform pieces are kept as they are.
    ///
    /// An optimal schedule computed on a raw empirical distribution polls exactly at observed
    /// durations and overfits a small sample; on the smoothed one (a piecewise-linear CDF through
    /// the sample, a standard smoothing of the empirical CDF) it generalises. The support is
    /// unchanged: no mass moves below the smallest or above the largest observation.
    /// - Returns: the smoothed distribution, or `self` when there are fewer than two atoms.
    public func smoothed() -> DurationDistribution {
        let atoms = pieces.filter { $0.upper <= $0.lower }
        guard atoms.count >= 2 else { return self }
        var spread = pieces.filter { $0.upper > $0.lower }
        for (i, atom) in atoms.enumerated() {
            let lower = i == 0 ? atom.lower : (atoms[i - 1].lower + atom.lower) / 2
            let upper = i == atoms.count - 1 ? atom.lower : (atom.lower + atoms[i + 1].lower) / 2
            spread.append(Piece(lower: lower, upper: upper, mass: atom.mass))
        }
        return (try? DurationDistribution(pieces: spread)) ?? self
    }

    /// The distribution with its point masses merged, in order, into at most `maxAtoms` atoms
    /// (each at its group's mass-weighted mean, with the group's mass); uniform pieces are kept.
    /// Bounds the cost of optimising a schedule on a large sample (100 000 observations become
    /// `maxAtoms` atoms) while keeping the mean of every group.
    /// - Parameter maxAtoms: the most atoms to keep, ≥ 1.
    public func coarsened(maxAtoms: Int) -> DurationDistribution {
        let atoms = pieces.filter { $0.upper <= $0.lower }
        let limit = max(1, maxAtoms)
        guard atoms.count > limit else { return self }
        var merged = pieces.filter { $0.upper > $0.lower }
        let groupSize = Double(atoms.count) / Double(limit)
        for g in 0..<limit {
            let group = atoms[Int((Double(g) * groupSize).rounded())..<Int((Double(g + 1) * groupSize).rounded())]
            let mass = group.reduce(0) { $0 + $1.mass }
            guard mass > 0 else { continue }
            let mean = group.reduce(0) { $0 + $1.mass * $1.lower } / mass
            merged.append(Piece(lower: mean, upper: mean, mass: mass))
        }
        return (try? DurationDistribution(pieces: merged)) ?? self
    }
}
