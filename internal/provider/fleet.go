package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/simusage/terraform-provider-usage/internal/httpx"
	"github.com/simusage/terraform-provider-usage/internal/kore"
)

// What the two fleet reads (usage_sims, usage_subscriptions) share: the
// bound on members written into state, the rule for a member gone between
// the list and its usage read, what an empty selection says, and how a
// failed or timed-out fan-out names its members.

// defaultMaxFleetMembers bounds the members one fleet read writes into state.
// Terraform holds about 27 KB of memory per SIM of a fleet read (measured:
// 10,000 SIMs 323 MB, 50,000 SIMs 1.34 GB), so 25,000 keeps it near 700 MB,
// under 1 GB with the rest of a plan.
const defaultMaxFleetMembers = 25_000

// shownMembers is how many members a diagnostic names before "and N more".
const shownMembers = 5

// checkFleetBound fails a read that would write more members than the
// provider's max_fleet_members, after the list and before any usage request.
func checkFleetBound(diags *diag.Diagnostics, n, bound int, what, narrow string) bool {
	if n <= bound {
		return true
	}
	diags.AddError(fmt.Sprintf("Too many %ss for one data source", what),
		fmt.Sprintf("The filters select %d %ss, %s Narrow the selection with %s, "+
			"or raise max_fleet_members in the provider block if the machine running Terraform has the memory. No usage was read.",
			n, what, pastTheBound(n, bound), narrow))
	return false
}

// terraformBytesPerMember is about what Terraform holds in memory for one
// fleet member in state (10,000 SIMs: 323 MB).
const terraformBytesPerMember = 27_000

// pastTheBound says why n members are too many: the bound and what they
// would cost Terraform.
func pastTheBound(n, bound int) string {
	return fmt.Sprintf("more than max_fleet_members (%d, environment variable %s) allows in one data source's state: "+
		"Terraform holds about %d KB of memory per member, so %d would take about %.1f MB.",
		bound, envMaxFleetMembers, terraformBytesPerMember/1000, n, float64(n)*terraformBytesPerMember/1e6)
}

// firstNames is the first few names and, past them, how many more.
func firstNames(names []string) string {
	s := strings.Join(names[:min(shownMembers, len(names))], ", ")
	if len(names) > shownMembers {
		s += fmt.Sprintf(" and %d more", len(names)-shownMembers)
	}
	return s
}

// fleetFailure reports the reads of a fan-out that failed: the read's own
// end with the members still in flight, otherwise the first failing
// members, and how many failed.
func fleetFailure(ctx context.Context, diags *diag.Diagnostics, vendor string, failures []httpx.Failure, name func(int) string, what string, timeout time.Duration) {
	if failures[0].Index < 0 {
		names := make([]string, len(failures[0].InFlight))
		for k, i := range failures[0].InFlight {
			names[k] = name(i)
		}
		desc := "Reading the fleet's usage"
		if len(names) > 0 {
			desc = fmt.Sprintf("Reading the fleet's usage (%d %s(s) still in flight: %s)", len(names), what, firstNames(names))
		}
		vendorReadFailure(ctx, diags, vendor, desc, failures[0].Err, timeout, "")
		return
	}
	names := make([]string, 0, shownMembers)
	for _, f := range failures[:min(shownMembers, len(failures))] {
		names = append(names, name(f.Index))
	}
	desc := fmt.Sprintf("Reading the usage of %d %s(s) (first: %s)", len(failures), what, strings.Join(names, ", "))
	var ng *notGone
	if errors.As(failures[0].Err, &ng) {
		desc += "; for the first, " + ng.why + ";"
	}
	vendorReadFailure(ctx, diags, vendor, desc, failures[0].Err, timeout, "")
}

// koreNotFound reports KORE's own 404: its error body, with a KORE error
// code. A gateway's {"message":"Not Found"} carries no code, and says
// nothing about whether the SIM exists.
func koreNotFound(err error) bool {
	var apiErr *kore.APIError
	return errors.As(err, &apiErr) && apiErr.Status == http.StatusNotFound && apiErr.Code != 0
}

// notGone is the failure of a member whose usage read answered the vendor's
// own 404 while the member itself did not: why it was not taken as gone,
// and the usage read's error (for its status and vendor code).
type notGone struct {
	why string
	err error
}

func (e *notGone) Error() string { return e.why + ": " + e.err.Error() }
func (e *notGone) Unwrap() error { return e.err }

// goneOrFailed decides the fate of a member whose usage read failed with
// err. It is gone (true, nil) only when the usage read answered the vendor's
// own 404 and the member itself, read again, answers the vendor's own 404
// too; anything else is the read's failure.
func goneOrFailed(ctx context.Context, err error, ownNotFound func(error) bool, reread func(context.Context) error) (bool, error) {
	if !ownNotFound(err) {
		return false, err
	}
	switch again := reread(ctx); {
	case again == nil:
		return false, &notGone{why: "its usage read answered 404, but the resource itself is still there, so its usage was not read", err: err}
	case ownNotFound(again):
		return true, nil
	default:
		return false, &notGone{why: fmt.Sprintf("its usage read answered 404, and reading the resource again to confirm it is gone failed (%s)", again), err: err}
	}
}

// memberKind names a fleet's members in diagnostics.
type memberKind struct{ what, attr, vendor string }

// leaveOutGone drops the members found gone (gone[i]), with one warning
// that names them.
func leaveOutGone[T any](diags *diag.Diagnostics, fleet []T, gone []bool, name func(*T) string, k memberKind) []T {
	var names []string
	kept := fleet[:0]
	for i := range fleet {
		if gone[i] {
			names = append(names, name(&fleet[i]))
			continue
		}
		kept = append(kept, fleet[i])
	}
	if len(names) > 0 {
		diags.AddWarning(fmt.Sprintf("%d %s(s) vanished during the read", len(names), k.what),
			fmt.Sprintf("The %s(s) %s were listed, but %s answered its own 404 both for their usage and for the %s itself: they "+
				"were deleted or moved during the read. They are left out of %s and total.", k.what, firstNames(names), k.vendor, k.what, k.attr))
	}
	return kept
}

// emptySelection warns that a fleet read kept nothing: a guardrail over an
// empty list passes, so it must never be silent.
func emptySelection(diags *diag.Diagnostics, what, attr, filters string, listed int) {
	diags.AddWarning(fmt.Sprintf("No %s selected", what),
		fmt.Sprintf("The read selected no %s (%s; the vendor listed %d). A check or postcondition over an empty list passes: "+
			"if this configuration expects some, add a postcondition such as length(self.%s) > 0.", what, filters, listed, attr))
}
