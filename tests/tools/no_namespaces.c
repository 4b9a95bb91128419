/* Runs a command where new namespaces are refused, as in a container whose seccomp profile
 * forbids them (Docker's default profile does): clone with any CLONE_NEW* flag and unshare fail
 * with EPERM, clone3 with ENOSYS (so that callers fall back to clone). The tests run the grader
 * and the hostile suite under it, so that the sandbox's fallback (Landlock and seccomp without
 * namespaces) is tested on every machine, not only on one that lacks namespaces.
 * Usage: no_namespaces COMMAND [ARGS...] */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv) {
    const unsigned long new_namespaces = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID |
                                         CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS |
                                         CLONE_NEWCGROUP;
    unsigned long bit;
    scmp_filter_ctx ctx;
    if (argc < 2) {
        fprintf(stderr, "usage: no_namespaces COMMAND [ARGS...]\n");
        return 2;
    }
    ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (!ctx) return 2;
    /* Other architectures' calls pass this filter untouched: the worker's own filter is what
     * must refuse and name them. */
    seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ALLOW);
    for (bit = 1; bit; bit <<= 1)
        if (new_namespaces & bit)
            seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
                             SCMP_A0(SCMP_CMP_MASKED_EQ, bit, bit));
    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(unshare), 0);
    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || seccomp_load(ctx) != 0) {
        fprintf(stderr, "no_namespaces: cannot install the filter: %s\n", strerror(errno));
        return 2;
    }
    seccomp_release(ctx);
    execvp(argv[1], argv + 1);
    fprintf(stderr, "no_namespaces: cannot run %s: %s\n", argv[1], strerror(errno));
    return 127;
}
