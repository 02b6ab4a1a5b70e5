package dev.ivr.server.call;


/** Serves one call once the PBX has named the script. Runs on the call's own virtual thread. */
@FunctionalInterface
public interface CallHandler {
    void handle(CallChannel channel) throws Exception;
}
