// Package style is how bam presents results, in one place: the palette of
// the figures (bam plot) and of the HTML stability report, and the number
// formats of the tables, figures and reports. Only this module imports it
// (it is under internal/).
package style
