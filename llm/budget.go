package llm

import (
	"sync"

	"github.com/uqe-dev/uqe/errs"
)

// Budget is the most rows the model may judge in one statement (DESIGN §3:
// rows judged = rows sent to the model; cache hits and de-duplicated rows
// are free). Rows are reserved before they are sent and a reservation that
// would exceed the limit fails with errs.BudgetExceeded (M002), so Used()
// never exceeds Limit(), whatever the concurrency. Safe for concurrent use.
// A nil *Budget is unlimited.
type Budget struct {
	mu    sync.Mutex
	limit int64 // 0: unlimited
	used  int64
}

// NewBudget returns a budget of limit rows; 0 (or a negative limit) means
// unlimited.
func NewBudget(limit int64) *Budget {
	if limit < 0 {
		limit = 0
	}
	return &Budget{limit: limit}
}

// Reserve reserves n rows, or fails with M002 (reserving nothing) if that
// would exceed the limit.
func (b *Budget) Reserve(n int64) error {
	if b == nil || n <= 0 {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.limit > 0 && b.used+n > b.limit {
		return errs.New(errs.BudgetExceeded,
			"the model would judge %d more rows, but the budget is %d rows per statement and %d are already used (SET budget = N to raise it, 0 for no limit)",
			n, b.limit, b.used)
	}
	b.used += n
	return nil
}

// Release gives back n reserved rows that were not sent (e.g. the call was
// never made).
func (b *Budget) Release(n int64) {
	if b == nil || n <= 0 {
		return
	}
	b.mu.Lock()
	b.used -= n
	if b.used < 0 {
		b.used = 0
	}
	b.mu.Unlock()
}

// Used is the number of rows reserved so far.
func (b *Budget) Used() int64 {
	if b == nil {
		return 0
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.used
}

// Limit is the limit (0: unlimited).
func (b *Budget) Limit() int64 {
	if b == nil {
		return 0
	}
	return b.limit
}

// Remaining is the number of rows that may still be reserved, or -1 if the
// budget is unlimited.
func (b *Budget) Remaining() int64 {
	if b == nil || b.limit == 0 {
		return -1
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.limit - b.used
}
