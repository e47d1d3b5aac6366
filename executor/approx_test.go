package executor

import (
	"slices"
	"testing"
)

func TestSplitBudget(t *testing.T) {
	cases := []struct {
		sizes  []int
		budget int
		want   []int
		need   int
	}{
		{[]int{1000}, 100, []int{100}, 1},
		{[]int{1000}, 5000, []int{1000}, 1},
		{[]int{10, 0, 3}, 1, []int{0, 0, 0}, 2},  // too small: nothing given
		{[]int{10, 0, 3}, 2, []int{1, 0, 1}, 2},  // one each
		{[]int{3000, 3}, 100, []int{99, 1}, 2},   // the small group is not starved
		{[]int{2, 2, 2}, 100, []int{2, 2, 2}, 3}, // capped at the sizes
		{[]int{500, 300, 200}, 103, []int{51, 31, 21}, 3},
		{[]int{1, 1, 1000}, 10, []int{1, 1, 8}, 3},
	}
	for _, c := range cases {
		got, need := splitBudget(c.sizes, c.budget)
		if !slices.Equal(got, c.want) || need != c.need {
			t.Errorf("splitBudget(%v, %d) = %v, %d; want %v, %d", c.sizes, c.budget, got, need, c.want, c.need)
		}
		sum := 0
		for g, x := range got {
			sum += x
			if x > c.sizes[g] {
				t.Errorf("splitBudget(%v, %d): group %d gets %d > its size", c.sizes, c.budget, g, x)
			}
		}
		if sum > c.budget {
			t.Errorf("splitBudget(%v, %d): gives %d, over the budget", c.sizes, c.budget, sum)
		}
	}
}
