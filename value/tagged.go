package value

import (
	"encoding/binary"
	"math"
)

// AnyMetaKey is the Arrow field metadata key that marks a Binary column as
// holding tagged values of mixed storage classes (SQLite's dynamic typing):
// each value is one tag byte ('i', 'f', 't', 'b') followed by its payload.
const AnyMetaKey = "uqe.type"

// AnyMetaValue is the metadata value for tagged columns.
const AnyMetaValue = "any"

// EncodeTagged appends v's tagged encoding to dst. NULL has no encoding (it
// is an Arrow null).
func EncodeTagged(dst []byte, v Value) []byte {
	switch v.K {
	case Int:
		dst = append(dst, 'i')
		return binary.LittleEndian.AppendUint64(dst, uint64(v.I))
	case Real:
		dst = append(dst, 'f')
		return binary.LittleEndian.AppendUint64(dst, math.Float64bits(v.F))
	case Text:
		return append(append(dst, 't'), v.S...)
	}
	return append(append(dst, 'b'), v.S...)
}

// DecodeTagged decodes a tagged value.
func DecodeTagged(b []byte) Value {
	if len(b) == 0 {
		return NullValue
	}
	switch b[0] {
	case 'i':
		return FromInt(int64(binary.LittleEndian.Uint64(b[1:])))
	case 'f':
		return FromFloat(math.Float64frombits(binary.LittleEndian.Uint64(b[1:])))
	case 't':
		return FromText(string(b[1:]))
	}
	return Value{K: Blob, S: string(b[1:])}
}
