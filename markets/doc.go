// Package markets implements the matching of the BAM model's labour, credit
// and goods markets as algorithms over plain slot-indexed slices, with no
// dependence on the world: the market types of package systems gather the
// fields they need into slices, call an algorithm here, and scatter the
// results back.
//
//   - Sampling (spec §4.1): [SampleIndices], a uniform k-subset with an
//     optional forced member.
//   - Conflict resolution (spec §4.2): [Matcher.Resolve], capacity-constrained
//     random acceptance, the batched step of the labour market.
//   - Labour market (§5.11): [LaborRound.Run], one synchronous round.
//   - Credit market (§5.18): [CreditRound], banks serving applicants by
//     fragility.
//   - Goods market (§5.28): [GoodsRound], the shuffled sequential market,
//     with the plain [VisitLists] and its unrolled twin for two-firm lists,
//     [VisitPairs] (tested bit for bit against each other).
//
// Every function works in caller-provided buffers and does not allocate.
package markets
