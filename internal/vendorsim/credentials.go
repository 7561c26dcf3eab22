package vendorsim

// Credentials are the secrets the simulator accepts, deterministic from the seed.
type Credentials struct{ KoreClientID, KoreClientSecret, GigsAPIKey, GigsProject string }

func newCredentials(seed int64) Credentials {
	ids := newIDStream(seed, purposeCredentials, 0)
	return Credentials{
		KoreClientID:     "sim-client-" + ids.hex(16),
		KoreClientSecret: ids.base62(40),
		GigsAPIKey:       "gigs_sim_" + ids.base62(40),
		GigsProject:      "sim-project-" + ids.lower(6),
	}
}

// Credentials returns the KORE client credentials, the Gigs API key and the Gigs project.
func (s *Server) Credentials() Credentials { return s.creds }

// AccountSid is the KORE account every SIM belongs to ("AC" + 32 hex).
func (s *Server) AccountSid() string { return s.accountSid }
