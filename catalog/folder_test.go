package catalog

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uqe-dev/uqe/errs"
)

func TestTextFolder(t *testing.T) {
	tests := []struct {
		pattern string
		want    []string
	}{
		{"", []string{
			`"a.txt" | "a.txt" | "first note\n"`,
			`"sub/b.md" | "b.md" | "# Title\nbody, with ünïcode\n"`,
			`"sub/c.txt" | "c.txt" | "bad utf8: ` + "\uFFFD" + ` end\n"`,
		}},
		{"*.txt", []string{
			`"a.txt" | "a.txt" | "first note\n"`,
			`"sub/c.txt" | "c.txt" | "bad utf8: ` + "\uFFFD" + ` end\n"`,
		}},
		{"*.csv", nil},
	}
	for _, tc := range tests {
		t.Run(tc.pattern, func(t *testing.T) {
			src, err := OpenTextFolder("testdata/textfolder", tc.pattern)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := renderSchema(src.Schema()), "path:utf8, name:utf8, text:utf8"; got != want {
				t.Errorf("schema %s, want %s", got, want)
			}
			if src.RowCount() != int64(len(tc.want)) {
				t.Errorf("RowCount %d, want %d", src.RowCount(), len(tc.want))
			}
			res := mustScan(t, src)
			if strings.Join(res.rows, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("rows\n%s\nwant\n%s", strings.Join(res.rows, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
	if _, err := OpenTextFolder("testdata/textfolder", "[x"); errs.CodeOf(err) != errs.Usage {
		t.Errorf("bad pattern: %v, want %s", err, errs.Usage)
	}
	if _, err := OpenTextFolder("testdata/nope", ""); errs.CodeOf(err) != errs.BadPath {
		t.Errorf("missing dir: %v, want %s", err, errs.BadPath)
	}
	if _, err := OpenTextFolder("testdata/csv/types.csv", ""); errs.CodeOf(err) != errs.BadPath {
		t.Errorf("file as dir: %v, want %s", err, errs.BadPath)
	}
}

func pngBytes(t *testing.T, v uint8) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 2, 2))
	img.SetGray(1, 1, color.Gray{Y: v})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writeFiles(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestImageFolder(t *testing.T) {
	dir := t.TempDir()
	one, two := pngBytes(t, 1), pngBytes(t, 2)
	writeFiles(t, dir, map[string][]byte{
		"1.png":         one,
		"deep/2.PNG":    two,
		"photo.jpeg":    []byte("\xff\xd8\xff fake jpeg"),
		".thumbs/x.gif": []byte("GIF89a"),
	})
	src, err := Open(dir) // every file is an image: an image table
	if err != nil {
		t.Fatal(err)
	}
	if got, want := renderSchema(src.Schema()), "path:utf8, name:utf8, bytes:binary, mime:utf8"; got != want {
		t.Fatalf("schema %s, want %s", got, want)
	}
	res := mustScan(t, src)
	want := []string{
		`"1.png" | "1.png" | x` + hexOf(one) + ` | "image/png"`,
		`"deep/2.PNG" | "2.PNG" | x` + hexOf(two) + ` | "image/png"`,
		`"photo.jpeg" | "photo.jpeg" | x` + hexOf([]byte("\xff\xd8\xff fake jpeg")) + ` | "image/jpeg"`,
	}
	if strings.Join(res.rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows\n%s\nwant\n%s", strings.Join(res.rows, "\n"), strings.Join(want, "\n"))
	}

	// A mixed folder: Open makes a text table of the non-image files, while
	// OpenImageFolder still lists the images.
	writeFiles(t, dir, map[string][]byte{"notes.txt": []byte("hi")})
	src, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	res = mustScan(t, src)
	if got, want := strings.Join(res.rows, "\n"), `"notes.txt" | "notes.txt" | "hi"`; got != want {
		t.Errorf("mixed folder via Open: %s, want %s", got, want)
	}
	src, err = OpenImageFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	if res := mustScan(t, src); len(res.rows) != 3 {
		t.Errorf("OpenImageFolder on a mixed folder: %d rows, want 3", len(res.rows))
	}
}

func hexOf(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

// TestFolderBatches checks that a folder with more files than a batch holds
// is scanned in several batches.
func TestFolderBatches(t *testing.T) {
	dir := t.TempDir()
	files := map[string][]byte{}
	for i := 0; i < BatchSize+10; i++ {
		files[filepath.Join("d", strings.Repeat("x", i%5)+string(rune('a'+i%26))+itoa(i)+".txt")] = []byte(itoa(i))
	}
	writeFiles(t, dir, files)
	src, err := OpenTextFolder(dir, "*.txt")
	if err != nil {
		t.Fatal(err)
	}
	res := mustScan(t, src)
	if len(res.batches) != 2 || res.batches[0] != BatchSize || res.batches[1] != 10 {
		t.Errorf("batches %v", res.batches)
	}
}

func itoa(i int) string { return formatUint(uint64(i)) }
