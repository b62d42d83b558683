// Package figures draws the figures of a run (bam plot, bam run --plot):
// log GDP, unemployment, inflation, productivity and real wage, the
// Phillips, Okun and Beveridge curves and the firm-size distribution, as
// one 3×3 figure with summary statistics ([DrawFigure]) or one panel
// ([DrawPanel]), in PNG or SVG. The data comes from a run folder ([Load],
// with the readers of package results) or from a finished simulation
// ([FromSimulation]), so that a run driven from Go is drawn exactly as
// bam plot draws its folder.
package figures
