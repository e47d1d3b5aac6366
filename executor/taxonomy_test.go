package executor

import (
	"slices"
	"testing"
)

// TestSameNames: category names that are the same name become one (case,
// order, punctuation and a plural aside); different words stay apart, even
// near-synonyms and names that share most words.
func TestSameNames(t *testing.T) {
	cases := []struct{ in, want []string }{
		{[]string{"Lost card", "card lost", "lost cards", "Lost-Card", "lost_card"}, []string{"Lost card"}},
		// only a plural "s" is dropped: "classes" stays apart from "class"
		{[]string{"account", "accounts", "access", "class", "classes"}, []string{"account", "access", "class", "classes"}},
		{[]string{"card issues", "card problems"}, []string{"card issues", "card problems"}},
		{[]string{"declined_cash_withdrawal", "pending_cash_withdrawal", "pending cash withdrawal"}, []string{"declined_cash_withdrawal", "pending_cash_withdrawal"}},
	}
	for _, c := range cases {
		if got := newNames().distinct(c.in); !slices.Equal(got, c.want) {
			t.Errorf("%v: %v, want %v", c.in, got, c.want)
		}
	}
	// names added later map onto earlier canonical ones
	n := newNames()
	n.add([]string{"card issues", "transfers"})
	if got, want := n.add([]string{"Card Issues", "TRANSFER", "exchange rate"}), []string{"card issues", "transfers", "exchange rate"}; !slices.Equal(got, want) {
		t.Errorf("later names: %v, want %v", got, want)
	}
}
