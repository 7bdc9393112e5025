import ZoneCheckCommand

runZoneCheckCommand(.compile)
