package markets

import "github.com/bam-abm/bam/ecs/rng"

// SampleIndices writes a uniformly random k-subset of {0, …, n−1} into dst
// and returns it (spec §4.1).
//
//   - If k ≥ n, the whole range 0 … n−1 is returned in order (forced is
//     then not moved to the front, as in spec §4.1).
//   - If forced ≥ 0 (it must be < n), forced is dst[0] and the other k−1
//     elements are a uniform (k−1)-subset of the rest.
//
// The order of the other elements is random. dst must have room for
// min(k, n) elements. Draws are rejection-sampled, which is fast for the
// small k of the model (max_M, max_H, max_Z).
func SampleIndices(r *rng.Rand, n, k int, forced int32, dst []int32) []int32 {
	if k >= n {
		dst = dst[:n]
		for i := range dst {
			dst[i] = int32(i)
		}
		return dst
	}
	dst = dst[:0]
	if forced >= 0 && k > 0 {
		dst = append(dst, forced)
	}
	if 2*k > n {
		return sampleDense(r, n, k, dst)
	}
	for len(dst) < k {
		c := int32(r.IntN(n))
		dup := false
		for _, d := range dst {
			if d == c {
				dup = true
				break
			}
		}
		if !dup {
			dst = append(dst, c)
		}
	}
	return dst
}

// sampleDense completes dst to k distinct elements when k is more than half
// of n, by Floyd's algorithm (uniform and O(k²) without extra memory).
func sampleDense(r *rng.Rand, n, k int, dst []int32) []int32 {
	// Floyd: for j = n−m … n−1 draw t in [0, j]; add t unless taken, else j.
	// Elements already in dst (the forced one) are treated as taken, and the
	// draw ranges over the n−len(dst) free elements mapped around them.
	pre := len(dst)
	need := k - pre
	free := n - pre
	for j := free - need; j < free; j++ {
		t := int32(r.IntN(j + 1))
		c := mapFree(t, dst[:pre])
		jj := mapFree(int32(j), dst[:pre])
		if contains(dst[pre:], c) {
			c = jj
		}
		dst = append(dst, c)
	}
	return dst
}

// mapFree maps x in [0, n−len(taken)) to the x-th element of {0…n−1} \ taken
// (taken holds at most one element here).
func mapFree(x int32, taken []int32) int32 {
	for _, t := range taken {
		if x >= t {
			x++
		}
	}
	return x
}

func contains(s []int32, x int32) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}
