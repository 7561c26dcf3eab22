# Denies a plan while any SIM read by a usage_sims data source is at or past
# a limit of its rate plan (over_limit), or has used max_used_percent of one.
#
#   terraform plan -out=tfplan && terraform show -json tfplan >plan.json
#   opa eval --format=pretty --data usage.rego --input plan.json data.usage.deny
#   conftest test --policy . --namespace usage plan.json
#
# The threshold can come from a data document: {"usage": {"params": {"max_used_percent": 90}}}.
package usage

default max_used_percent := 80

max_used_percent := data.usage.params.max_used_percent

# Every SIM of every usage_sims data source of the root module, with the
# address of the data source that read it. Data sources read during the
# plan are in prior_state; one Terraform could only read during apply is not.
sims contains [r.address, sim] if {
	some r in input.prior_state.values.root_module.resources
	r.mode == "data"
	r.type == "usage_sims"
	some sim in r.values.sims
}

name(sim) := sim.unique_name if sim.unique_name != null

name(sim) := sim.sid if sim.unique_name == null

deny contains msg if {
	some [address, sim] in sims
	sim.over_limit == true
	msg := sprintf("%s: SIM %s is at or past a limit of its rate plan %s", [address, name(sim), sim.rate_plan.unique_name])
}

deny contains msg if {
	some [address, sim] in sims
	sim.over_limit != true
	some network, l in sim.limits
	l.used_percent != null
	l.used_percent >= max_used_percent
	msg := sprintf("%s: SIM %s has used %v%% of its %s limit (rate plan %s)", [address, name(sim), round(l.used_percent), network, sim.rate_plan.unique_name])
}
