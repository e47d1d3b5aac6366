package udf

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/uqe-dev/uqe/value"
)

// Printf formats args with SQLite's printf() (sqlite3_str_vappendf as of
// 3.40, reached from SQL): conversions d i u x X o p c s z q Q w f e E g G
// r n and %%, flags - + space 0 # ! and the thousands separator ',', width
// and precision (also '*'), the length modifiers l and ll (ignored). A
// missing argument counts as NULL; NULL is 0 for numeric conversions and
// the empty string for %s. Floating-point conversions use SQLite's own digit
// generator: at most 16 significant digits, halves rounded away from zero.
// An unknown conversion ends the output there; ok is false when nothing was
// output at all (SQLite then returns NULL).
func Printf(format string, args []value.Value) (string, bool) {
	var out strings.Builder
	appended := false
	emit := func(s string) { out.WriteString(s); appended = true }
	next := 0
	arg := func() (value.Value, bool) {
		if next >= len(args) {
			return value.NullValue, false
		}
		next++
		return args[next-1], true
	}
	intArg := func() int64 { v, _ := arg(); return value.AsInt(v) }
	floatArg := func() float64 { v, _ := arg(); return value.AsFloat(v) }
	// textArg returns nil for NULL (or a missing argument).
	textArg := func() *string {
		v, _ := arg()
		if v.IsNull() {
			return nil
		}
		s := v.S
		if v.K != value.Blob {
			s = value.ToText(v).S
		}
		if i := strings.IndexByte(s, 0); i >= 0 {
			s = s[:i] // C strings end at NUL
		}
		return &s
	}
	f := format
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c != '%' {
			j := strings.IndexByte(f[i:], '%')
			if j < 0 {
				j = len(f) - i
			}
			emit(f[i : i+j])
			i += j - 1
			continue
		}
		i++
		if i >= len(f) {
			emit("%")
			break
		}
		var leftJust, plus, space, alt, alt2, zero, thousands bool
	flags:
		for ; i < len(f); i++ {
			switch f[i] {
			case '-':
				leftJust = true
			case '+':
				plus = true
			case ' ':
				space = true
			case '#':
				alt = true
			case '!':
				alt2 = true
			case '0':
				zero = true
			case ',':
				thousands = true
			default:
				break flags
			}
		}
		width := 0
		if i < len(f) && f[i] == '*' {
			w := intArg()
			if w < 0 {
				leftJust = true
				if w >= -2147483647 {
					w = -w
				} else {
					w = 0
				}
			}
			width = int(min(w, 1<<20))
			i++
		} else {
			for ; i < len(f) && f[i] >= '0' && f[i] <= '9'; i++ {
				width = min(width*10+int(f[i]-'0'), 1<<20)
			}
		}
		precision := -1
		if i < len(f) && f[i] == '.' {
			i++
			if i < len(f) && f[i] == '*' {
				p := intArg()
				if p < 0 {
					if p >= -2147483647 {
						p = -p
					} else {
						p = -1
					}
				}
				precision = int(min(p, 1<<20))
				i++
			} else {
				precision = 0
				for ; i < len(f) && f[i] >= '0' && f[i] <= '9'; i++ {
					precision = min(precision*10+int(f[i]-'0'), 1<<20)
				}
			}
		}
		if i < len(f) && f[i] == 'l' {
			i++
			if i < len(f) && f[i] == 'l' {
				i++
			}
		}
		if i >= len(f) {
			break // unknown (missing) conversion: stop
		}
		conv := f[i]
		prefix := ""
		if plus {
			prefix = "+"
		} else if space {
			prefix = " "
		}
		var body string
		switch conv {
		case 'd', 'i', 'u', 'x', 'X', 'o', 'p', 'r':
			body = fmtInt(conv, intArg(), prefix, width, precision, zero, alt, thousands)
		case 'f', 'e', 'E', 'g', 'G':
			body = fmtFloat(conv, floatArg(), prefix, width, precision, zero, leftJust, alt, alt2)
		case 's', 'z':
			s := ""
			if p := textArg(); p != nil {
				s = *p
			}
			if precision >= 0 {
				s = cutPrefix(s, precision, alt2)
			}
			if alt2 {
				width += len(s) - utf8.RuneCountInString(s)
			}
			body = s
		case 'c':
			ch := "\x00"
			if p := textArg(); p != nil {
				if *p != "" {
					_, n := utf8.DecodeRuneInString(*p)
					ch = (*p)[:n]
				}
			}
			if precision > 1 {
				width -= precision - 1
				if width > 1 && !leftJust {
					emit(strings.Repeat(" ", width-1))
					width = 0
				}
				emit(strings.Repeat(ch, precision-1))
			}
			width += len(ch) - utf8.RuneCountInString(ch)
			body = ch
		case 'q', 'Q', 'w':
			q := byte('\'')
			if conv == 'w' {
				q = '"'
			}
			p := textArg()
			s := ""
			switch {
			case p != nil:
				s = *p
			case conv == 'Q':
				s = "NULL"
			default:
				s = "(NULL)"
			}
			if precision >= 0 {
				s = cutPrefix(s, precision, alt2)
			}
			esc := strings.ReplaceAll(s, string(q), string([]byte{q, q}))
			if p != nil && conv == 'Q' {
				esc = string(q) + esc + string(q)
			}
			if alt2 {
				width += len(esc) - utf8.RuneCountInString(esc)
			}
			body = esc
		case '%':
			body = "%"
		case 'n':
			body, width = "", 0 // stores nothing when called from SQL
		default:
			return out.String(), appended // unknown conversion: stop
		}
		if pad := width - len(body); pad > 0 {
			if leftJust {
				body += strings.Repeat(" ", pad)
			} else {
				body = strings.Repeat(" ", pad) + body
			}
		}
		emit(body)
	}
	return out.String(), appended
}

// cutPrefix keeps the first n bytes of s (n characters with the ! flag).
func cutPrefix(s string, n int, chars bool) string {
	if !chars {
		if n < len(s) {
			return s[:n]
		}
		return s
	}
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// fmtInt renders an integer conversion (without the width padding).
func fmtInt(conv byte, v int64, prefix string, width, precision int, zero, alt, thousands bool) string {
	base, upper, signed := 10, false, false
	altPrefix := ""
	switch conv {
	case 'd', 'i':
		signed = true
	case 'r':
		signed = true
		thousands = false
	case 'x':
		base, altPrefix, thousands = 16, "0x", false
	case 'X':
		base, upper, altPrefix, thousands = 16, true, "0X", false
	case 'p':
		base, upper, altPrefix, thousands = 16, true, "0x", false
	case 'o':
		base, altPrefix, thousands = 8, "0", false
	}
	var u uint64
	if signed {
		if v < 0 {
			u = uint64(^v) + 1
			prefix = "-"
		} else {
			u = uint64(v)
		}
	} else {
		u = uint64(v)
		prefix = ""
	}
	if u == 0 {
		alt = false
	}
	if zero && precision < width-len(prefix) {
		precision = width - len(prefix)
	}
	digits := strconv.FormatUint(u, base)
	if upper {
		digits = strings.ToUpper(digits)
	}
	if conv == 'r' {
		suffix := "th"
		if x := u % 100; x < 11 || x > 13 {
			switch u % 10 {
			case 1:
				suffix = "st"
			case 2:
				suffix = "nd"
			case 3:
				suffix = "rd"
			}
		}
		digits += suffix
	}
	if n := precision - len(digits); n > 0 {
		digits = strings.Repeat("0", n) + digits
	}
	if thousands {
		var b strings.Builder
		for i := 0; i < len(digits); i++ {
			if i > 0 && (len(digits)-i)%3 == 0 {
				b.WriteByte(',')
			}
			b.WriteByte(digits[i])
		}
		digits = b.String()
	}
	if alt {
		digits = altPrefix + digits
	}
	return prefix + digits
}

// roundHalf is arRound of SQLite's printf: 0.5, 0.05, ..., 5e-10.
var roundHalf = [10]float64{5.0e-01, 5.0e-02, 5.0e-03, 5.0e-04, 5.0e-05, 5.0e-06, 5.0e-07, 5.0e-08, 5.0e-09, 5.0e-10}

// fmtFloat renders f e E g G the way SQLite 3.40's printf does.
func fmtFloat(conv byte, r float64, prefix string, width, precision int, zero, leftJust, alt, alt2 bool) string {
	if precision < 0 {
		precision = 6
	}
	if r < 0 {
		r = -r
		prefix = "-"
	}
	generic := conv == 'g' || conv == 'G'
	exp := conv == 'e' || conv == 'E' || generic
	if generic && precision > 0 {
		precision--
	}
	idx := precision & 0xfff
	rounder := roundHalf[idx%10]
	for ; idx >= 10; idx -= 10 {
		rounder *= 1.0e-10
	}
	// SQLite computes in long double (x87 extended: a 64-bit mantissa);
	// big.Float with 64 bits of precision reproduces its digits.
	if math.IsNaN(r) {
		return "NaN"
	}
	if math.IsInf(r, 0) {
		return prefix + "Inf"
	}
	ld := func(f float64) *big.Float { return new(big.Float).SetPrec(64).SetFloat64(f) }
	mul := func(a *big.Float, f float64) { a.Mul(a, ld(f)) }
	rv := ld(r)
	if !exp {
		ex := -1023 + int((math.Float64bits(r)>>52)&0x7ff)
		if precision+ex/3 < 15 {
			rounder += r * 3e-16
		}
		rv.Add(rv, ld(rounder))
	}
	e := 0
	if rv.Sign() > 0 {
		scale := ld(1)
		ge := func(f float64) bool { t := ld(f); t.Mul(t, scale); return rv.Cmp(t) >= 0 }
		for ge(1e100) && e <= 350 {
			mul(scale, 1e100)
			e += 100
		}
		for ge(1e10) && e <= 350 {
			mul(scale, 1e10)
			e += 10
		}
		for ge(10) && e <= 350 {
			mul(scale, 10)
			e++
		}
		rv.Quo(rv, scale)
		for rv.Cmp(ld(1e-8)) < 0 {
			mul(rv, 1e8)
			e -= 8
		}
		for rv.Cmp(ld(1)) < 0 {
			mul(rv, 10)
			e--
		}
		if e > 350 {
			return prefix + "Inf"
		}
	}
	if exp {
		rv.Add(rv, ld(rounder))
		if rv.Cmp(ld(10)) >= 0 {
			mul(rv, 0.1)
			e++
		}
	}
	useExp := conv == 'e' || conv == 'E'
	rtz := alt2
	if generic {
		rtz = !alt
		if e < -4 || e > precision {
			useExp = true
		} else {
			precision -= e
		}
	}
	e2 := e
	if useExp {
		e2 = 0
	}
	nsd := 16
	if alt2 {
		nsd = 26
	}
	digit := func() byte {
		if nsd <= 0 {
			return '0'
		}
		nsd--
		d, _ := rv.Int64()
		rv.Sub(rv, ld(float64(d)))
		mul(rv, 10)
		return byte('0' + d)
	}
	var b []byte
	b = append(b, prefix...)
	if e2 < 0 {
		b = append(b, '0')
	} else {
		for ; e2 >= 0; e2-- {
			b = append(b, digit())
		}
	}
	dp := precision > 0 || alt || alt2
	if dp {
		b = append(b, '.')
	}
	for e2++; e2 < 0; e2++ {
		b = append(b, '0')
		precision--
	}
	for ; precision > 0; precision-- {
		b = append(b, digit())
	}
	if rtz && dp {
		for b[len(b)-1] == '0' {
			b = b[:len(b)-1]
		}
		if b[len(b)-1] == '.' {
			if alt2 {
				b = append(b, '0')
			} else {
				b = b[:len(b)-1]
			}
		}
	}
	if useExp {
		ec := byte('e')
		if conv == 'E' || conv == 'G' {
			ec = 'E'
		}
		b = append(b, ec)
		if e < 0 {
			b = append(b, '-')
			e = -e
		} else {
			b = append(b, '+')
		}
		if e >= 100 {
			b = append(b, byte('0'+e/100))
			e %= 100
		}
		b = append(b, byte('0'+e/10), byte('0'+e%10))
	}
	if zero && !leftJust && len(b) < width {
		pad := strings.Repeat("0", width-len(b))
		return prefix + pad + string(b[len(prefix):])
	}
	return string(b)
}
