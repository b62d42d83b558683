// Package stability runs seed-stability studies (validation spec §8) that
// survive crashes, resume where they stopped and split over machines.
//
// A study validates one scenario over many seeds. Each finished seed is a
// [Record], appended to a [Journal]: a JSON-lines file whose first line is
// a [Header] naming everything the results depend on (scenario, suite,
// periods, burn-in, population and a hash of every parameter and of the
// pipeline, [Identity]). A record is written with a single write followed
// by fsync, so a crash loses at most the seeds in flight, and a torn last
// line is ignored when the journal is read again. Re-opening a journal
// with a different header is refused ([MismatchError]).
//
// A study can be cut into N disjoint shards ([Shard]: seed s belongs to
// shard (s − start) mod N), each run anywhere with its own journal;
// [Collect] gathers the journals of one or many folders, checks that no
// seed is missing or duplicated, and [Document] renders the result file of
// spec §8.2 (extended with every seed's result) from the records. Records
// hold floats in shortest round-trip form, and the document is built from
// the sorted records only, so it is byte-identical (apart from its
// metadata) whatever the number of workers, the number of interruptions or
// the sharding.
//
// [Runner] runs the seeds of a study on W goroutines and journals them; for
// buffer_stock it can reuse the Growth+ records of the same seeds (spec
// §8.1) instead of running the Growth+ companion again.
package stability
