namespace CSharpBpf.TestSupport.RawBpf;

/// <summary>
/// The errno values bpf(2) returns that tests look at, named as in errno(3), so an assertion reads
/// <c>Assert.Equal(BpfErrno.EINVAL, result.Errno)</c>. Any other number still fits (an enum holds it).
/// </summary>
public enum BpfErrno
{
    None = 0,
    EPERM = 1,
    ENOENT = 2,
    E2BIG = 7,
    EBADF = 9,
    EAGAIN = 11,
    ENOMEM = 12,
    EACCES = 13,
    EFAULT = 14,
    EBUSY = 16,
    EEXIST = 17,
    EINVAL = 22,
    ENOSPC = 28,
    ERANGE = 34,
    EOPNOTSUPP = 95,
    /// <summary>The kernel-internal ENOTSUPP that bpf(2) leaks to user space for unsupported features.</summary>
    ENOTSUPP = 524,
}
