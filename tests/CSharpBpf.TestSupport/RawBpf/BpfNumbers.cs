namespace CSharpBpf.TestSupport.RawBpf;

/// <summary>The bpf(2) commands the helpers issue (enum bpf_cmd, include/uapi/linux/bpf.h).</summary>
public enum BpfCommand
{
    BPF_MAP_CREATE = 0,
    BPF_MAP_LOOKUP_ELEM = 1,
    BPF_MAP_UPDATE_ELEM = 2,
    BPF_MAP_DELETE_ELEM = 3,
    BPF_PROG_LOAD = 5,
    BPF_PROG_TEST_RUN = 10,
    BPF_BTF_LOAD = 18,
}

/// <summary>
/// enum bpf_prog_type values the tests load. Plain uint constants (not an enum) so the kernel's
/// number from any layer's own enum can be passed through with a cast.
/// </summary>
public static class ProgTypes
{
    public const uint SocketFilter = 1;
    public const uint SchedCls = 3;
    public const uint Xdp = 6;
    public const uint CgroupSkb = 8;
    public const uint SockOps = 13;
    public const uint CgroupSysctl = 23;
    public const uint CgroupSockopt = 25;
}

/// <summary>enum bpf_map_type values the tests create (uint constants for the same reason as <see cref="ProgTypes"/>).</summary>
public static class MapTypes
{
    public const uint Hash = 1;
    public const uint Array = 2;
}

/// <summary>enum bpf_attach_type values a program of some types must name at load time (expected_attach_type).</summary>
public static class AttachTypes
{
    public const uint CgroupInetIngress = 0;
    public const uint CgroupInetEgress = 1;
    public const uint CgroupSockOps = 3;
    public const uint CgroupSysctl = 18;
    public const uint CgroupGetsockopt = 21;
    public const uint CgroupSetsockopt = 22;
}

/// <summary>Map flags (BPF_F_*) the tests need.</summary>
public static class MapFlags
{
    /// <summary>BPF_F_RDONLY_PROG: programs may only read the map (libbpf creates .rodata so).</summary>
    public const uint ReadOnlyProg = 1u << 7;
}
