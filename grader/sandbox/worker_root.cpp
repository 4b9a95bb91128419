#include "grader/sandbox/worker_root.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

#include "grader/sandbox/unique_fd.hpp"

namespace grader::sandbox::worker {

const char* const kLibraryDirs[] = {"/lib",           "/lib32",     "/lib64",     "/libx32",
                                    "/usr/lib",       "/usr/lib32", "/usr/lib64", "/usr/libx32",
                                    "/usr/local/lib", nullptr};

namespace {

// Where the new root is put together: a directory every system has, covered by the tmpfs in the
// worker's own mount namespace only.
const char* const kBases[] = {"/tmp", "/mnt", "/run", nullptr};

struct Failure {
    std::string& error;
    bool operator()(const std::string& step) {
        error = step + ": " + std::strerror(errno);
        return false;
    }
};

bool make_dirs(const std::string& path) {
    for (std::size_t at = 1; at <= path.size(); ++at) {
        if (at != path.size() && path[at] != '/') continue;
        const std::string part = path.substr(0, at);
        if (::mkdir(part.c_str(), 0755) != 0 && errno != EEXIST) return false;
    }
    return true;
}

// The flags a read-only remount of a bind must keep: in a user namespace the kernel refuses to
// drop nosuid, nodev, noexec or the atime mode of the mount the bind came from.
unsigned long kept_flags(const std::string& path) {
    struct statvfs st {};
    if (::statvfs(path.c_str(), &st) != 0) return 0;
    unsigned long flags = 0;
    if (st.f_flag & ST_NOSUID) flags |= MS_NOSUID;
    if (st.f_flag & ST_NODEV) flags |= MS_NODEV;
    if (st.f_flag & ST_NOEXEC) flags |= MS_NOEXEC;
    if (st.f_flag & ST_NOATIME) flags |= MS_NOATIME;
    if (st.f_flag & ST_NODIRATIME) flags |= MS_NODIRATIME;
    if (st.f_flag & ST_RELATIME) flags |= MS_RELATIME;
    return flags;
}

bool bind_read_only(const std::string& from, const std::string& to, Failure& fail) {
    if (::mount(from.c_str(), to.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0)
        return fail("bind " + from);
    const unsigned long flags =
        MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | kept_flags(to);
    if (::mount(nullptr, to.c_str(), nullptr, flags, nullptr) != 0)
        return fail("make " + from + " read-only");
    return true;
}

// A system library directory as the machine has it: the same link, or a read-only bind.
bool add_library_dir(const std::string& base, const char* dir, Failure& fail) {
    struct stat st {};
    if (::lstat(dir, &st) != 0) return true;  // this machine has no such directory
    const std::string inside = base + dir;
    if (S_ISLNK(st.st_mode)) {
        char target[PATH_MAX];
        const ssize_t n = ::readlink(dir, target, sizeof target - 1);
        if (n <= 0) return fail(std::string("read the link ") + dir);
        target[n] = '\0';
        if (!make_dirs(inside.substr(0, inside.rfind('/'))) ||
            ::symlink(target, inside.c_str()) != 0)
            return fail(std::string("link ") + dir);
        return true;
    }
    if (!S_ISDIR(st.st_mode)) return true;
    if (!make_dirs(inside)) return fail("make " + inside);
    return bind_read_only(dir, inside, fail);
}

bool add_file(const std::string& base, const char* file, Failure& fail) {
    struct stat st {};
    if (::stat(file, &st) != 0 || !S_ISREG(st.st_mode)) return true;
    const std::string inside = base + file;
    if (!make_dirs(inside.substr(0, inside.rfind('/')))) return fail("make " + inside);
    UniqueFd placeholder(::open(inside.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0444));
    if (!placeholder) return fail("make " + inside);
    return bind_read_only(file, inside, fail);
}

bool is_library_dir(const std::string& dir) {
    for (const char* const* d = kLibraryDirs; *d; ++d)
        if (dir == *d) return true;
    // The multiarch directories (/usr/lib/x86_64-linux-gnu) are system directories too.
    const auto slash = dir.rfind('/');
    if (slash == std::string::npos || slash == 0) return false;
    const std::string parent = dir.substr(0, slash);
    for (const char* const* d = kLibraryDirs; *d; ++d)
        if (parent == *d && dir.find("-linux-gnu") != std::string::npos) return true;
    return false;
}

// Covers a file the worker must not see: the file itself inside a system directory, else its
// whole directory (where the grader keeps its reference libraries side by side).
bool hide(const std::string& base, const std::string& path, Failure& fail) {
    const std::string inside = base + path;
    struct stat st {};
    if (path.empty() || path[0] != '/' || ::lstat(inside.c_str(), &st) != 0)
        return true;  // not in the root: nothing to hide
    const std::string dir = path.substr(0, path.rfind('/'));
    if (is_library_dir(dir)) {
        if (::mount((base + "/.hidden/file").c_str(), inside.c_str(), nullptr, MS_BIND, nullptr))
            return fail("hide " + path);
        return true;
    }
    if (::mount((base + "/.hidden/dir").c_str(), (base + dir).c_str(), nullptr, MS_BIND, nullptr))
        return fail("hide " + dir);
    return true;
}

bool copy_library(int library, const std::string& to, Failure& fail) {
    struct stat st {};
    if (::fstat(library, &st) != 0) return fail("read the submission");
    UniqueFd out(::open(to.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0555));
    if (!out) return fail("copy the submission");
    off_t offset = 0;
    while (offset < st.st_size) {
        const ssize_t n =
            ::sendfile(out.get(), library, &offset, static_cast<std::size_t>(st.st_size - offset));
        if (n <= 0) return fail("copy the submission");
    }
    return true;
}

}  // namespace

bool enter_own_root(int library, const std::vector<std::string>& hidden, std::string& error) {
    Failure fail{error};
    // Nothing done here may reach the grader's mount namespace.
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
        return fail("make the mounts private");
    struct stat st {};
    if (::fstat(library, &st) != 0) return fail("read the submission");
    // Room for the copy and a few directories; the tmpfs is the worker's and goes with it.
    const std::string options =
        "mode=0755,nr_inodes=256,size=" + std::to_string(st.st_size + (1 << 20));
    std::string base;
    for (const char* const* b = kBases; *b && base.empty(); ++b)
        if (::mount("tmpfs", *b, "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) == 0) base = *b;
    if (base.empty()) return fail("mount a tmpfs for the worker's root");

    for (const char* const* d = kLibraryDirs; *d; ++d)
        if (!add_library_dir(base, *d, fail)) return false;
    if (!add_file(base, kLoaderCache, fail)) return false;
    if (!copy_library(library, base + kRootLibrary, fail)) return false;
    // What covers a hidden file or directory: empty, and read-only like the rest.
    if (!make_dirs(base + "/.hidden/dir")) return fail("make " + base + "/.hidden");
    UniqueFd empty(::open((base + "/.hidden/file").c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0));
    if (!empty) return fail("make " + base + "/.hidden/file");
    empty.reset();
    for (const std::string& path : hidden)
        if (!hide(base, path, fail)) return false;

    const std::string old = base + "/.old";
    if (::mkdir(old.c_str(), 0700) != 0) return fail("make " + old);
    if (::syscall(SYS_pivot_root, base.c_str(), old.c_str()) != 0)
        return fail("pivot_root into the worker's root");
    if (::chdir("/") != 0) return fail("enter the worker's root");
    // The machine's file system is gone from the worker's view, not only out of its path.
    if (::umount2("/.old", MNT_DETACH) != 0) return fail("detach the machine's file system");
    if (::rmdir("/.old") != 0) return fail("remove the old root's mount point");
    if (::mount(nullptr, "/", nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV,
                nullptr) != 0)
        return fail("make the worker's root read-only");
    return true;
}

}  // namespace grader::sandbox::worker
