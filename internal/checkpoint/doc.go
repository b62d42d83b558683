// Package checkpoint is the binary codec of bam's checkpoint files: a
// header, tagged sections and a checksum, and the plain-data codec that
// stores values of Go types (booleans, numbers, and arrays, structs and
// slices of them) by reflection with their layout signature.
//
// The container is little-endian throughout:
//
//	header    [Magic]                  8 bytes
//	          format                   uint32, [Format]
//	          version                  string: the program version that wrote it
//	sections  tag (4 bytes), length (uint64), payload
//	SUM.      CRC-32C (Castagnoli) of every byte before this section
//
// A string is a uint32 length and its bytes. A value is the layout
// signature of its element type (field names and kinds, e.g.
// "{Price:f64;Production:f64}"), the number of elements (uint64; 1 for a
// scalar) and the elements, each the concatenation of its leaf fields in
// declaration order (bool and 8-bit integers 1 byte, int and uint 8 bytes,
// others their size; blank "_" padding fields are not stored). The
// signature is checked on reading, so a type whose definition changed
// since the file was written is reported instead of misread. A record is
// the number of fields of a struct (uint32), then each field's name and
// value.
//
// The header layout (magic, format, version) is fixed for every format,
// so that a file of another format is reported with the version that wrote
// it. Which sections a checkpoint has, and what they hold, is the facade's
// business (bam's checkpoint.go); this package knows nothing of the model.
//
// Values are read and written through unsafe views of their memory,
// located with reflection once per type ([LayoutOf]); every offset comes
// from reflect for that very type.
package checkpoint
