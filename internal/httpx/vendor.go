package httpx

// Vendored is an error that says whose API it came from.
type Vendored interface {
	error
	ErrorVendor() string
}

// ErrorVendor names the vendor that answered.
func (e *ResponseError) ErrorVendor() string { return e.Vendor }

// ErrorVendor names the vendor that was asked.
func (e *ConnectionError) ErrorVendor() string { return e.Vendor }

// WithVendor marks err as vendor's, for an error that does not say it (a
// cancellation, a deadline): so that advice about one vendor is never given
// for the other. The text is err's.
func WithVendor(vendor string, err error) error {
	if err == nil {
		return nil
	}
	return &vendorError{vendor: vendor, err: err}
}

type vendorError struct {
	vendor string
	err    error
}

func (e *vendorError) Error() string       { return e.err.Error() }
func (e *vendorError) Unwrap() error       { return e.err }
func (e *vendorError) ErrorVendor() string { return e.vendor }

// VendorOf is the first vendor named in err's tree, or "".
func VendorOf(err error) string {
	switch e := err.(type) { //nolint:errorlint // walks the tree one link at a time
	case nil:
		return ""
	case Vendored:
		if v := e.ErrorVendor(); v != "" {
			return v
		}
	}
	switch e := err.(type) { //nolint:errorlint // as above
	case interface{ Unwrap() error }:
		return VendorOf(e.Unwrap())
	case interface{ Unwrap() []error }:
		for _, inner := range e.Unwrap() {
			if v := VendorOf(inner); v != "" {
				return v
			}
		}
	}
	return ""
}
