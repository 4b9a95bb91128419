#pragma once
// Ctrl-C and SIGTERM during a batch (Slurm's scancel sends SIGTERM first). The first asks the
// batch to stop handing out submissions: those being graded finish and are recorded. The second
// ends the grader at once; what is recorded stays recorded (each grade is its own transaction),
// and the workers die with the grader.

namespace grader::batch {

class InterruptGuard {
  public:
    InterruptGuard();   // installs the handlers
    ~InterruptGuard();  // restores the previous ones
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;

    // True once a first signal came.
    static bool requested();
    // The signal that came, or 0.
    static int signal();
};

}  // namespace grader::batch
