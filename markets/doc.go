// Package markets implements the matching of the BAM model's labour, credit
// and goods markets as functions over plain slot-indexed slices, with no
// dependence on the world: systems gather the fields they need into slices,
// call a market function, and scatter the results back.
//
// The shared algorithms of spec §4 live here too: uniform k-subsets with an
// optional forced member ([SampleIndices], §4.1) and capacity-constrained
// random acceptance ([Matcher.Resolve], §4.2, the batched conflict
// resolution of the labour market).
//
// Every function works in caller-provided buffers and does not allocate.
package markets
