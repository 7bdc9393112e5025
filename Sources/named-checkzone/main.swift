import ZoneCheckCommand

runZoneCheckCommand(.check)
