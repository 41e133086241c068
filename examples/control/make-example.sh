#!/usr/bin/env bash
# Makes this directory's example from the Provital scenarios (examples/scenarios/): the
# decision to bring water cleaning to the market before entering car wash, the plan adopted
# from it, and a year of monthly check-ins, February 2010 to January 2011. Every figure is
# illustrative (examples/cases/README.md); the story follows the paper's Provital, whose
# model was not developed enough for a new industry (Lindgren 2012, sec. 3.3.1).
#
#   bash examples/control/make-example.sh [path/to/bmil]
#
# The files are written anew (the log is removed first), so the same bmil writes the same
# bytes: the decision's Monte Carlo is seeded, the check-ins carry their own times.
set -euo pipefail
cd "$(dirname "$0")/../.."
bmil="${1:-build/release/bin/bmil}"
dir=examples/control
rm -f "$dir/provital.decision.json" "$dir/provital.plan.json" "$dir/provital.plan.checkins.jsonl"

"$bmil" scenario decide examples/scenarios/provital-2009.json \
  examples/scenarios/provital-carwash-after-market.scenario.json \
  --why "Bring water cleaning to the market with a certified standard unit before entering car wash" \
  --date 2010-01-15 -o "$dir/provital.decision.json"
"$bmil" plan adopt "$dir/provital.decision.json" --kpi revenue --kpi profit --kpi customers \
  --add-kpi 'id=certified_units,label=Certified standard units installed,unit=units,direction=up,baseline=0,target=2010-12-31:6,target=2011-12-31:20' \
  -o "$dir/provital.plan.json"

checkin() { "$bmil" checkin "$dir/provital.plan.json" --author "Provital management" "$@" >/dev/null; }
# month, revenue and profit (trailing twelve months, DKK), customers, certified units, then
# anything else the check-in records.
month() {
  local day=$1 revenue=$2 profit=$3 customers=$4 units=$5
  shift 5
  checkin --date "$day" --at "${day}T16:00:00Z" --kpi revenue="$revenue" \
    --kpi profit="$profit" --kpi customers="$customers" --kpi certified_units="$units" "$@"
}
month 2010-02-26 6250000 550000 28 0 --task m1=ongoing --progress m1=0.1 --spent m1=1 \
  --confidence 0.7 --note "Standard unit design started with the test laboratory"
month 2010-03-31 6300000 500000 28 0 --progress m1=0.2 --spent m1=2
month 2010-04-30 6400000 500000 28 0 --progress m1=0.3 --spent m1=3.5
month 2010-05-31 6500000 450000 29 1 --progress m1=0.4 --spent m1=5 --confidence 0.55 \
  --note "First unit submitted for certification"
month 2010-06-30 6550000 500000 29 1 --progress m1=0.5 --spent m1=6
month 2010-07-30 6600000 600000 29 2 --progress m1=0.6 --spent m1=7
month 2010-08-31 6700000 700000 30 2 --progress m1=0.7 --spent m1=8 --confidence 0.4 \
  --note "Certification body asks for a second test series: about six months more"
checkin --date 2010-09-10 --at 2010-09-10T09:00:00Z --rebaseline certified_units \
  --target 2010-12-31=4 --target 2011-12-31=16 \
  --reason "Certification takes six months longer than planned; the first certified units ship in the fourth quarter"
checkin --date 2010-09-10 --at 2010-09-10T09:05:00Z --rebaseline profit \
  --target 2011-12-31=1800000 --target 2012-12-31=3200000 --target 2013-12-31=4000000 \
  --reason "The later certification moves the profit of the standard unit one year back"
month 2010-09-30 6750000 800000 30 3 --progress m1=0.8 --spent m1=9 --confidence 0.6
month 2010-10-29 6900000 1000000 30 3 --task m1=completed --spent m1=11 \
  --note "Standard unit certified"
month 2010-11-30 7000000 1100000 31 4
month 2010-12-30 7100000 1200000 31 5 --confidence 0.7 --note "Year closed above the new plan"
month 2011-01-31 7200000 1300000 31 6 --task m2=ongoing --progress m2=0.1 --spent m2=0.5
echo "$dir: decision, plan and $(wc -l <"$dir/provital.plan.checkins.jsonl") check-ins written"
