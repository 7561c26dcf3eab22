package kore

// copyRecords deep-copies records so that no caller can change the cached
// answer another caller will receive.
func copyRecords(in []UsageRecord) []UsageRecord {
	if in == nil {
		return nil
	}
	out := make([]UsageRecord, len(in))
	for i, r := range in {
		r.Commands.Home = clonePtr(r.Commands.Home)
		r.Commands.NationalRoaming = clonePtr(r.Commands.NationalRoaming)
		r.Commands.InternationalRoaming = cloneSlice(r.Commands.InternationalRoaming)
		r.Data.Home = clonePtr(r.Data.Home)
		r.Data.NationalRoaming = clonePtr(r.Data.NationalRoaming)
		r.Data.InternationalRoaming = cloneSlice(r.Data.InternationalRoaming)
		out[i] = r
	}
	return out
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func cloneSlice[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return append(make([]T, 0, len(s)), s...)
}
