// Package report renders the self-contained HTML report of seed-stability
// result files (bam stability report): [Write] takes the files as decoded
// by stability.ReadResult, the one schema of the result document, and
// writes one page with its SVG charts inline. Its colours and number
// formats are those of package style, shared with bam plot. The module's
// other HTML reports (robustness, calibration) are built from its pieces,
// for one look: [CSS], [PageHead], [InlineSVG], [NewPlot] and
// [RenderSVG]. Only this module imports it (it is under internal/); the
// command wiring, the file checks and the atomic write are the command
// line's.
package report
