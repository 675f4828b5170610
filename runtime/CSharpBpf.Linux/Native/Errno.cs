using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace CSharpBpf.Linux.Native;

/// <summary>errno values: symbolic names (for messages and for callers that branch on them) and libc's text.</summary>
public static class Errno
{
    public const int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6, E2BIG = 7, EBADF = 9,
        EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14, EBUSY = 16, EEXIST = 17, EXDEV = 18, ENODEV = 19,
        ENOTDIR = 20, EISDIR = 21, EINVAL = 22, ENFILE = 23, EMFILE = 24, ENOSPC = 28, ESPIPE = 29, ERANGE = 34,
        ENAMETOOLONG = 36, ENOSYS = 38, ENOTEMPTY = 39, ELOOP = 40, ENOPROTOOPT = 92, EOPNOTSUPP = 95,
        EADDRINUSE = 98, ENOTSUPP = 524;

    private static readonly Dictionary<int, string> Names = new()
    {
        [EPERM] = "EPERM", [ENOENT] = "ENOENT", [ESRCH] = "ESRCH", [EINTR] = "EINTR", [EIO] = "EIO",
        [ENXIO] = "ENXIO", [E2BIG] = "E2BIG", [EBADF] = "EBADF", [EAGAIN] = "EAGAIN", [ENOMEM] = "ENOMEM",
        [EACCES] = "EACCES", [EFAULT] = "EFAULT", [EBUSY] = "EBUSY", [EEXIST] = "EEXIST", [EXDEV] = "EXDEV",
        [ENODEV] = "ENODEV", [ENOTDIR] = "ENOTDIR", [EISDIR] = "EISDIR", [EINVAL] = "EINVAL",
        [ENFILE] = "ENFILE", [EMFILE] = "EMFILE", [ENOSPC] = "ENOSPC", [ESPIPE] = "ESPIPE", [ERANGE] = "ERANGE",
        [ENAMETOOLONG] = "ENAMETOOLONG", [ENOSYS] = "ENOSYS", [ENOTEMPTY] = "ENOTEMPTY", [ELOOP] = "ELOOP",
        [ENOPROTOOPT] = "ENOPROTOOPT", [EOPNOTSUPP] = "EOPNOTSUPP", [EADDRINUSE] = "EADDRINUSE",
        [ENOTSUPP] = "ENOTSUPP",
    };

    public static string Name(int errno) => Names.TryGetValue(errno, out var n) ? n : "E" + errno;

    /// <summary>libc's strerror text; the kernel-internal ENOTSUPP (524) has none, so it is spelled out.</summary>
    public static string Describe(int errno)
    {
        if (errno == ENOTSUPP) return "Operation not supported (kernel-internal ENOTSUPP)";
        var p = strerror(errno);
        return p == System.IntPtr.Zero ? "errno " + errno : Marshal.PtrToStringAnsi(p) ?? "errno " + errno;
    }

    [DllImport("libc")]
    private static extern System.IntPtr strerror(int errnum);
}
