package dev.ivr.server.config;

import java.nio.file.Path;
import java.time.Duration;

public record FlowsConfig(
        @Doc("Directory of flow files: flows/NAME.yaml serves agi://host/NAME.")
        Path dir,
        @Doc("Opening-hours calendars used by hours nodes (time zone, weekly hours, holidays). A missing file means no calendars.")
        Path calendars,
        @Doc("Reload flows, prompts and calendars when their files change (an invalid edit is refused and the previous version keeps serving).")
        boolean watch,
        @Doc("How long a call's checkpoint (position and variables, no secrets) stays in the cluster after its last node, for another server to resume the call.")
        Duration checkpointTtl,
        @Doc("When a node's checkpoint counts as written: async (sent to the cluster, the call goes on at once; a member that dies can take the last step or two with it) or backup-ack (the next AGI command waits until the partition owner stored it and its backup acknowledged it). Either way a server alone in its cluster keeps the checkpoints after the call's first one in its own memory (the map would have no backup anywhere else) and writes them to the cluster when a member joins. Measured cost per command: docs/benchmarks.md.")
        String checkpointDurability) implements Validated {

    @Override
    public void validate(Problems p) {
        if (dir == null) {
            p.add("dir", "must be set");
        }
        if (calendars == null) {
            p.add("calendars", "must be set (the file may be missing)");
        }
        p.positive("checkpoint-ttl", checkpointTtl);
        if (!"async".equals(checkpointDurability) && !"backup-ack".equals(checkpointDurability)) {
            p.add("checkpoint-durability", "'" + checkpointDurability + "' is not one of [async, backup-ack]");
        }
    }
}
