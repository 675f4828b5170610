namespace CSharpBpf.Linux.Programs;

/// <summary>enum bpf_prog_type.</summary>
public enum BpfProgramType : uint
{
    Unspec = 0, SocketFilter = 1, Kprobe = 2, SchedCls = 3, SchedAct = 4, Tracepoint = 5, Xdp = 6,
    PerfEvent = 7, CgroupSkb = 8, CgroupSock = 9, LwtIn = 10, LwtOut = 11, LwtXmit = 12, SockOps = 13,
    SkSkb = 14, CgroupDevice = 15, SkMsg = 16, RawTracepoint = 17, CgroupSockAddr = 18, LwtSeg6local = 19,
    LircMode2 = 20, SkReuseport = 21, FlowDissector = 22, CgroupSysctl = 23, RawTracepointWritable = 24,
    CgroupSockopt = 25, Tracing = 26, StructOps = 27, Ext = 28, Lsm = 29, SkLookup = 30, Syscall = 31,
    Netfilter = 32,
}

/// <summary>enum bpf_attach_type.</summary>
public enum BpfAttachType : uint
{
    CgroupInetIngress = 0, CgroupInetEgress = 1, CgroupInetSockCreate = 2, CgroupSockOps = 3,
    SkSkbStreamParser = 4, SkSkbStreamVerdict = 5, CgroupDevice = 6, SkMsgVerdict = 7,
    CgroupInet4Bind = 8, CgroupInet6Bind = 9, CgroupInet4Connect = 10, CgroupInet6Connect = 11,
    CgroupInet4PostBind = 12, CgroupInet6PostBind = 13, CgroupUdp4Sendmsg = 14, CgroupUdp6Sendmsg = 15,
    LircMode2 = 16, FlowDissector = 17, CgroupSysctl = 18, CgroupUdp4Recvmsg = 19, CgroupUdp6Recvmsg = 20,
    CgroupGetsockopt = 21, CgroupSetsockopt = 22, TraceRawTp = 23, TraceFentry = 24, TraceFexit = 25,
    ModifyReturn = 26, LsmMac = 27, TraceIter = 28, CgroupInet4Getpeername = 29, CgroupInet6Getpeername = 30,
    CgroupInet4Getsockname = 31, CgroupInet6Getsockname = 32, XdpDevmap = 33, CgroupInetSockRelease = 34,
    XdpCpumap = 35, SkLookup = 36, Xdp = 37, SkSkbVerdict = 38, SkReuseportSelect = 39,
    SkReuseportSelectOrMigrate = 40, PerfEvent = 41, TraceKprobeMulti = 42, LsmCgroup = 43, StructOps = 44,
    Netfilter = 45, TcxIngress = 46, TcxEgress = 47,
    /// <summary>Not a kernel value: the program has no expected attach type.</summary>
    None = uint.MaxValue,
}

/// <summary>BPF_PROG_ATTACH flags for cgroups.</summary>
[System.Flags]
public enum CgroupAttachFlags : uint
{
    None = 0,
    AllowOverride = 1,
    AllowMulti = 2,
    Replace = 4,
}
