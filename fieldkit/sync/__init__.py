"""Client side of headquarters sync: the protocol (shared with fieldkit/hq), the engine and its
transport. No Qt here; the desktop app runs the engine on a worker of its own."""
