// Package textdist measures how far apart two words are, for the "did
// you mean" suggestions of the command line and of scenario files: the
// optimal-string-alignment (restricted Damerau–Levenshtein) distance over
// runes.
package textdist
