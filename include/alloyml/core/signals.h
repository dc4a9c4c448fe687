#pragma once
// SIGINT/SIGTERM during training: the first signal asks the trainer to checkpoint and stop
// after the current step; a second one kills the process as usual.
namespace alloyml {

/// Installs the handlers (idempotent).
void install_stop_handlers();

/// True once a stop was requested.
bool stop_requested();

/// For tests: raise or clear the flag by hand.
void set_stop_requested(bool value);

}  // namespace alloyml
