// Package figures draws the figures of a run (bam plot, bam run --plot):
// log GDP, unemployment, inflation, productivity and real wage, the
// Phillips, Okun (in growth rates) and Beveridge curves and the firm-size
// distribution, as one 3×3 figure with summary statistics ([DrawFigure])
// or one panel ([DrawPanel]), in PNG, SVG, PDF or EPS ([Formats]), at
// their default sizes or any other ([Size], [ParseSize]) with fonts that
// scale with it. The data comes from a run folder ([Load], with the
// readers of package results) or from a finished simulation
// ([FromSimulation]), so that a run driven from Go is drawn exactly as
// bam plot draws its folder; several runs of one scenario are drawn as an
// ensemble ([NewEnsemble]): each series as its mean over the runs with a
// band from the 5th to the 95th percentile.
package figures
