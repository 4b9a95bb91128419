/* The student kit's own versions of the glibc functions newer than 2.34 that Debian 12's static
 * archives call: libgcc_eh's unwinder calls _dl_find_object (glibc 2.35), libstdc++'s
 * random_device arc4random and libarchive arc4random_buf (2.36). Linked into the kit's
 * executables only (cmake/student_kit.cmake), they answer those calls from inside, so the kit
 * asks the machine's glibc for nothing newer than 2.34 and starts on Ubuntu 22.04 or RHEL 9.
 * They are not exported: the libraries the grader loads still get glibc's own. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/random.h>

struct object_search {
    uintptr_t address;
    struct dl_find_object* result;
    int found;
};

/* The loaded object whose PT_LOAD segments hold the address, with its unwinding table
 * (PT_GNU_EH_FRAME): what libgcc's unwinder asks _dl_find_object for, and what it asked
 * dl_iterate_phdr for before glibc 2.35. */
static int search_object(struct dl_phdr_info* info, size_t size, void* data) {
    struct object_search* search = data;
    uintptr_t start = UINTPTR_MAX;
    uintptr_t end = 0;
    uintptr_t eh_frame = 0;
    int holds = 0;
    (void)size;
    for (ElfW(Half) i = 0; i < info->dlpi_phnum; ++i) {
        const ElfW(Phdr)* segment = &info->dlpi_phdr[i];
        const uintptr_t low = info->dlpi_addr + segment->p_vaddr;
        const uintptr_t high = low + segment->p_memsz;
        if (segment->p_type == PT_LOAD) {
            if (low < start) start = low;
            if (high > end) end = high;
            if (search->address >= low && search->address < high) holds = 1;
        } else if (segment->p_type == PT_GNU_EH_FRAME) {
            eh_frame = low;
        }
    }
    if (!holds) return 0;
    struct dl_find_object* result = search->result;
    result->dlfo_flags = 0;
    result->dlfo_map_start = (void*)start;
    result->dlfo_map_end = (void*)end;
    result->dlfo_link_map = NULL;
    result->dlfo_eh_frame = (void*)eh_frame;
    search->found = 1;
    return 1;
}

int _dl_find_object(void* address, struct dl_find_object* result) {
    struct object_search search = {(uintptr_t)address, result, 0};
    dl_iterate_phdr(search_object, &search);
    if (search.found) {
        /* Callers other than the unwinder may want the link map: dladdr1 has had it since
         * glibc 2.3.3. */
        Dl_info info;
        struct link_map* map = NULL;
        if (dladdr1(address, &info, (void**)&map, RTLD_DL_LINKMAP)) result->dlfo_link_map = map;
    }
    return search.found ? 0 : -1;
}

/* getrandom (glibc 2.25) is what glibc's own arc4random reads; it fails only on a kernel older
 * than 3.17, where no randomness is better than a predictable one. */
void arc4random_buf(void* buffer, size_t size) {
    unsigned char* at = buffer;
    while (size > 0) {
        const ssize_t got = getrandom(at, size, 0);
        if (got < 0) {
            if (errno == EINTR) continue;
            abort();
        }
        at += got;
        size -= (size_t)got;
    }
}

uint32_t arc4random(void) {
    uint32_t value;
    arc4random_buf(&value, sizeof value);
    return value;
}
