using System;
using System.Buffers.Binary;
using CSharpBpf.Object.Isa;
using CSharpBpf.Vm;
using CSharpBpf.Vm.Contexts;
using CSharpBpf.Vm.Host;
using CSharpBpf.Vm.Kernel;
using CSharpBpf.Vm.Maps;
using Xunit;
using static CSharpBpf.Object.Isa.Insns;
using static CSharpBpf.Object.Isa.Reg;

namespace CSharpBpf.Vm.Tests.Programs;

/// <summary>Whole programs on contexts, maps, helpers and kfuncs through <see cref="BpfTestHost"/>, on each engine.</summary>
public abstract class ProgramTests : IDisposable
{
    protected ProgramTests() => Host = new BpfTestHost(Engine);

    protected abstract ExecutionEngine Engine { get; }

    protected BpfTestHost Host { get; }

    private VmProgram Load(ProgramType type, params object[] items) => Host.Load(VmTestBase.Prog(items), type);

    public static byte[] Ipv4Packet(int length = 64, ushort etherType = 0x0800)
    {
        var p = new byte[length];
        for (int i = 0; i < 12; i++) p[i] = (byte)(i + 1);
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(12), etherType);
        p[14] = 0x45;
        return p;
    }

    private VmProgram XdpCounter(ArrayMap counts) => Load(ProgramType.Xdp,
        Mov64Reg(R6, R1),
        Ldx(MemSize.W, R2, R6, 0), Ldx(MemSize.W, R3, R6, 4),
        Mov64Reg(R4, R2), Alu64Imm(AluOp.Add, R4, 14),
        Jmp(JmpOp.Jgt, R4, R3, 13),
        Ldx(MemSize.H, R5, R2, 12),
        JmpImm(JmpOp.Jne, R5, 0x0008, 13),
        St(MemSize.B, R2, 0, 0xff),
        St(MemSize.W, R10, -4, 0),
        LoadMapFd(R1, counts.Fd),
        Mov64Reg(R2, R10), Alu64Imm(AluOp.Add, R2, -4),
        CallHelper(1),
        JmpImm(JmpOp.Jeq, R0, 0, 5),
        Mov64Imm(R1, 1),
        AtomicAdd(MemSize.DW, R0, R1, 0),
        Ja(2),
        Mov64Imm(R0, XdpContext.XdpDrop), Exit(),
        Mov64Imm(R0, XdpContext.XdpPass), Exit());

    [Fact]
    public void Xdp_program_sees_packet_pointers_counts_in_a_map_and_edits_the_packet()
    {
        var counts = Host.CreateArray("counts", 8, 1);
        var prog = XdpCounter(counts);
        var r = Host.RunXdp(prog, Ipv4Packet());
        Assert.Equal(XdpContext.XdpPass, r.Verdict);
        Assert.Equal(1UL, counts.GetUInt64(0));
        Assert.Equal(0xff, r.Packet![0]);
        Assert.Equal(XdpContext.XdpDrop, Host.RunXdp(prog, new byte[10]).Verdict);
        Assert.Equal(XdpContext.XdpPass, Host.RunXdp(prog, Ipv4Packet(etherType: 0x0806)).Verdict);
        Assert.Equal(1UL, counts.GetUInt64(0));
        Host.RunXdp(prog, Ipv4Packet());
        Assert.Equal(2UL, counts.GetUInt64(0));
    }

    [Fact]
    public void Reading_past_data_end_is_a_violation_in_the_packet_region()
    {
        var prog = Load(ProgramType.Xdp, Ldx(MemSize.W, R2, R1, 0), Ldx(MemSize.W, R0, R2, 62), Exit());
        var e = Assert.Throws<BpfVmException>(() => Host.RunXdp(prog, Ipv4Packet(64)));
        Assert.Equal("packet", e.Region);
        Assert.Equal(1, e.InstructionIndex);
    }

    [Fact]
    public void Xdp_md_is_read_only_and_pointer_fields_cannot_be_read_in_halves()
    {
        var write = Load(ProgramType.Xdp, St(MemSize.W, R1, 12, 5), Mov64Imm(R0, 2), Exit());
        Assert.Equal("xdp_md", Assert.Throws<BpfVmException>(() => Host.RunXdp(write, Ipv4Packet())).Region);
        var half = Load(ProgramType.Xdp, Ldx(MemSize.H, R0, R1, 0), Exit());
        Assert.Equal(VmErrorKind.MemoryViolation, Assert.Throws<BpfVmException>(() => Host.RunXdp(half, Ipv4Packet())).Kind);
        var across = Load(ProgramType.Xdp, Ldx(MemSize.DW, R0, R1, 0), Exit()); // data and data_end in one load
        Assert.Equal(VmErrorKind.MemoryViolation, Assert.Throws<BpfVmException>(() => Host.RunXdp(across, Ipv4Packet())).Kind);
        var sk = Load(ProgramType.CgroupSkb, Ldx(MemSize.DW, R0, R1, SkbContext.OffSk), Exit());
        var sock = Host.CreateSocket();
        Assert.Equal(sock.BpfSockAddress, Host.RunSkb(sk, Ipv4Packet(), sock).ReturnValue);
        var ifindex = Load(ProgramType.Xdp, Ldx(MemSize.W, R0, R1, 12), Exit());
        Assert.Equal(7, Host.RunXdp(ifindex, Ipv4Packet(), ingressIfindex: 7).Verdict);
    }

    [Fact]
    public void Redirect_map_uses_devmap_hash_and_falls_back_to_the_flag_action()
    {
        var dev = Host.CreateDevmapHash("tx", 8);
        Assert.Equal(0, dev.Update(new byte[] { 5, 0, 0, 0 }, new byte[] { 42, 0, 0, 0 }));
        VmProgram Redirect(int key) => Load(ProgramType.Xdp, LoadMapFd(R1, dev.Fd), Mov64Imm(R2, key), Mov64Imm(R3, XdpContext.XdpPass), CallHelper(51), Exit());
        var hit = Host.RunXdp(Redirect(5), Ipv4Packet());
        Assert.Equal(XdpContext.XdpRedirect, hit.Verdict);
        Assert.Equal(42u, hit.Redirect!.Ifindex);
        var miss = Host.RunXdp(Redirect(6), Ipv4Packet());
        Assert.Equal(XdpContext.XdpPass, miss.Verdict);
        Assert.Null(miss.Redirect);
    }

    [Fact]
    public void Hash_update_from_a_program_honours_noexist()
    {
        var h = Host.CreateHash("h", 4, 8, 4);
        var prog = Load(ProgramType.Unspecified,
            St(MemSize.W, R10, -4, 9), St(MemSize.DW, R10, -16, 1234),
            LoadMapFd(R1, h.Fd), Mov64Reg(R2, R10), Alu64Imm(AluOp.Add, R2, -4),
            Mov64Reg(R3, R10), Alu64Imm(AluOp.Add, R3, -16), Mov64Imm(R4, (int)MapUpdateFlags.NoExist),
            CallHelper(2), Exit());
        Assert.Equal(0UL, Host.Run(prog).ReturnValue);
        Assert.Equal(unchecked((ulong)-Errno.EEXIST), Host.Run(prog).ReturnValue);
        Assert.Equal(1234UL, BinaryPrimitives.ReadUInt64LittleEndian(h.Lookup(new byte[] { 9, 0, 0, 0 })));
    }

    [Fact]
    public void Helper_with_a_bad_key_pointer_is_a_memory_violation_at_the_call()
    {
        var h = Host.CreateHash("h", 4, 8, 4);
        var prog = Load(ProgramType.Unspecified, LoadMapFd(R1, h.Fd), Mov64Imm(R2, 16), CallHelper(1), Exit());
        var e = Assert.Throws<BpfVmException>(() => Host.Run(prog));
        Assert.Equal(VmErrorKind.MemoryViolation, e.Kind);
        Assert.Equal(3, e.InstructionIndex); // LD_IMM64 takes slots 0 and 1
        var notMap = Load(ProgramType.Unspecified, Mov64Reg(R1, R10), Mov64Reg(R2, R10), CallHelper(1), Exit());
        Assert.Equal(VmErrorKind.BadHelperArgument, Assert.Throws<BpfVmException>(() => Host.Run(notMap)).Kind);
    }

    [Fact]
    public void Trace_printk_output_is_captured()
    {
        // "n=%d %s\0" with %s pointing at "ok\0"
        var prog = Load(ProgramType.Unspecified,
            LoadImm64(R1, BinaryPrimitives.ReadInt64LittleEndian("n=%d %s\0"u8)), Stx(MemSize.DW, R10, R1, -8),
            St(MemSize.W, R10, -12, BinaryPrimitives.ReadInt32LittleEndian("ok\0\0"u8)),
            Mov64Reg(R1, R10), Alu64Imm(AluOp.Add, R1, -8), Mov64Imm(R2, 8), Mov64Imm(R3, -42),
            Mov64Reg(R4, R10), Alu64Imm(AluOp.Add, R4, -12), CallHelper(6), Exit());
        var r = Host.Run(prog);
        Assert.Equal(new[] { "n=-42 ok" }, r.Trace);
        Assert.Equal(8UL, r.ReturnValue);
    }

    [Fact]
    public void Tail_calls_stop_after_33()
    {
        var counter = Host.CreateArray("runs", 8, 1);
        var jumps = Host.CreateProgArray("jumps", 2);
        var prog = Load(ProgramType.Xdp,
            Mov64Reg(R6, R1), St(MemSize.W, R10, -4, 0), LoadMapFd(R1, counter.Fd),
            Mov64Reg(R2, R10), Alu64Imm(AluOp.Add, R2, -4), CallHelper(1),
            JmpImm(JmpOp.Jeq, R0, 0, 2), Mov64Imm(R1, 1), AtomicAdd(MemSize.DW, R0, R1, 0),
            Mov64Reg(R1, R6), LoadMapFd(R2, jumps.Fd), Mov64Imm(R3, 0), CallHelper(12),
            Mov64Imm(R0, 7), Exit());
        jumps.Set(0, prog);
        var r = Host.RunXdp(prog, Ipv4Packet());
        Assert.Equal(7, r.Verdict);
        Assert.Equal(1UL + BpfMachine.MaxTailCalls, counter.GetUInt64(0));
    }

    [Fact]
    public void Tail_call_replaces_the_program_and_keeps_the_context()
    {
        var jumps = Host.CreateProgArray("jumps", 4);
        var target = Load(ProgramType.Xdp, Ldx(MemSize.W, R0, R1, 12), Alu64Imm(AluOp.Add, R0, 100), Exit());
        jumps.Set(3, target);
        var caller = Load(ProgramType.Xdp, LoadMapFd(R2, jumps.Fd), Mov64Imm(R3, 3), CallHelper(12), Mov64Imm(R0, 1), Exit());
        Assert.Equal(105, Host.RunXdp(caller, Ipv4Packet(), ingressIfindex: 5).Verdict);
        var missing = Load(ProgramType.Xdp, LoadMapFd(R2, jumps.Fd), Mov64Imm(R3, 2), CallHelper(12), Mov64Imm(R0, 1), Exit());
        Assert.Equal(1, Host.RunXdp(missing, Ipv4Packet()).Verdict);
    }

    [Fact]
    public void Ringbuf_reserve_submit_reaches_the_consumer()
    {
        var rb = Host.CreateRingBuf("events", 4096);
        var prog = Load(ProgramType.Unspecified,
            LoadMapFd(R1, rb.Fd), Mov64Imm(R2, 8), Mov64Imm(R3, 0), CallHelper(131),
            JmpImm(JmpOp.Jeq, R0, 0, 5),
            LoadImm64(R1, 0x1122334455667788), Stx(MemSize.DW, R0, R1, 0),
            Mov64Reg(R1, R0), Mov64Imm(R2, 0), CallHelper(132),
            Exit());
        Host.Run(prog);
        Host.Run(prog);
        var records = rb.Consume();
        Assert.Equal(2, records.Count);
        Assert.Equal(0x1122334455667788UL, BinaryPrimitives.ReadUInt64LittleEndian(records[0]));
        var overflow = Load(ProgramType.Unspecified,
            LoadMapFd(R1, rb.Fd), Mov64Imm(R2, 8), Mov64Imm(R3, 0), CallHelper(131),
            JmpImm(JmpOp.Jeq, R0, 0, 2), St(MemSize.DW, R0, 8, 1), Exit(), Exit());
        Assert.Equal("ringbuf-sample:events@32", Assert.Throws<BpfVmException>(() => Host.Run(overflow)).Region);
    }

    [Fact]
    public void Writing_a_submitted_ringbuf_sample_faults()
    {
        // The JIT caches the last region a store used; the helper call that removes the sample must empty that cache.
        var rb = Host.CreateRingBuf("events", 4096);
        var prog = Load(ProgramType.Unspecified,
            LoadMapFd(R1, rb.Fd), Mov64Imm(R2, 16), Mov64Imm(R3, 0), CallHelper(131),
            JmpImm(JmpOp.Jeq, R0, 0, 6), Mov64Reg(R6, R0), St(MemSize.DW, R6, 0, 1),
            Mov64Reg(R1, R6), Mov64Imm(R2, 0), CallHelper(132),
            St(MemSize.DW, R6, 8, 2),
            Exit());
        var e = Assert.Throws<BpfVmException>(() => Host.Run(prog));
        Assert.Equal(VmErrorKind.MemoryViolation, e.Kind);
        Assert.Equal(11, e.InstructionIndex);
        Assert.Single(rb.Consume());
    }

    [Fact]
    public void Map_values_stay_reachable_after_the_hash_grows()
    {
        var h = Host.CreateHash("grow", 4, 8, 1000);
        // insert key 0, write through its pointer, insert 100 more keys (the value slab grows), write again
        var prog = Load(ProgramType.Unspecified,
            St(MemSize.W, R10, -4, 0), St(MemSize.DW, R10, -16, 5),
            LoadMapFd(R1, h.Fd), Mov64Reg(R2, R10), Alu64Imm(AluOp.Add, R2, -4), Mov64Reg(R3, R10), Alu64Imm(AluOp.Add, R3, -16), Mov64Imm(R4, 0), CallHelper(2),
            LoadMapFd(R1, h.Fd), Mov64Reg(R2, R10), Alu64Imm(AluOp.Add, R2, -4), CallHelper(1), Mov64Reg(R6, R0),
            St(MemSize.DW, R6, 0, 6),
            Mov64Imm(R7, 1),
            Stx(MemSize.W, R10, R7, -4),
            LoadMapFd(R1, h.Fd), Mov64Reg(R2, R10), Alu64Imm(AluOp.Add, R2, -4), Mov64Reg(R3, R10), Alu64Imm(AluOp.Add, R3, -16), Mov64Imm(R4, 0), CallHelper(2),
            Alu64Imm(AluOp.Add, R7, 1), JmpImm(JmpOp.Jlt, R7, 100, -11),
            Ldx(MemSize.DW, R0, R6, 0), Alu64Imm(AluOp.Add, R0, 1), Stx(MemSize.DW, R6, R0, 0),
            Exit());
        Assert.Equal(7UL, Host.Run(prog).ReturnValue);
        Assert.Equal(7UL, BinaryPrimitives.ReadUInt64LittleEndian(h.Lookup(new byte[4])));
        Assert.Equal(100, h.Count);
    }

    [Fact]
    public void Sk_storage_is_created_per_socket_and_deleted()
    {
        var storage = Host.CreateSkStorage("seen", 8);
        var sock = Host.CreateSocket();
        var prog = Load(ProgramType.CgroupSkb,
            Ldx(MemSize.DW, R2, R1, SkbContext.OffSk), JmpImm(JmpOp.Jeq, R2, 0, 8),
            LoadMapFd(R1, storage.Fd), Mov64Imm(R3, 0), Mov64Imm(R4, 1), CallHelper(107),
            JmpImm(JmpOp.Jeq, R0, 0, 2), Mov64Imm(R1, 1), AtomicAdd(MemSize.DW, R0, R1, 0),
            Mov64Imm(R0, 1), Exit());
        Host.RunSkb(prog, Ipv4Packet(), sock);
        Assert.Equal(1, Host.RunSkb(prog, Ipv4Packet(), sock).Verdict);
        Assert.Equal(2UL, BinaryPrimitives.ReadUInt64LittleEndian(storage.Get(sock)));
        Host.RunSkb(prog, Ipv4Packet(), socket: null);
        Assert.Single(storage.Sockets);
        var delete = Load(ProgramType.CgroupSkb, Ldx(MemSize.DW, R2, R1, SkbContext.OffSk), LoadMapFd(R1, storage.Fd), CallHelper(108), Exit());
        Assert.Equal(0UL, Host.RunSkb(delete, Ipv4Packet(), sock).ReturnValue);
        Assert.Equal(unchecked((ulong)-Errno.ENOENT), Host.RunSkb(delete, Ipv4Packet(), sock).ReturnValue);
        Assert.Null(storage.Get(sock));
    }

    [Fact]
    public void Skb_fields_and_legacy_packet_loads()
    {
        var prog = Load(ProgramType.SocketFilter,
            Mov64Reg(R6, R1), LdAbs(MemSize.H, 12), Mov64Reg(R7, R0), LdAbs(MemSize.B, 14), Alu64Imm(AluOp.Lsh, R0, 16), Alu64Reg(AluOp.Or, R0, R7),
            St(MemSize.W, R6, SkbContext.OffMark, 99), Exit());
        var r = Host.RunSkb(prog, Ipv4Packet());
        Assert.Equal(0x45_0800UL, r.ReturnValue);
        Assert.Equal(99u, ((SkbContext)r.Context!).Mark);
        var oob = Load(ProgramType.SocketFilter, Mov64Reg(R6, R1), Mov64Imm(R0, 5), LdAbs(MemSize.W, 62), Exit());
        Assert.Equal(0UL, Host.RunSkb(oob, Ipv4Packet()).ReturnValue);
        var len = Load(ProgramType.CgroupSkb, Ldx(MemSize.W, R0, R1, SkbContext.OffLen), Exit());
        Assert.Equal(64UL, Host.RunSkb(len, Ipv4Packet()).ReturnValue);
        var writeLen = Load(ProgramType.CgroupSkb, St(MemSize.W, R1, SkbContext.OffLen, 1), Exit());
        Assert.Equal("__sk_buff", Assert.Throws<BpfVmException>(() => Host.RunSkb(writeLen, Ipv4Packet())).Region);
    }

    [Fact]
    public void Sock_ops_reply_cb_flags_cookie_and_sockopts()
    {
        var sock = Host.CreateSocket();
        var prog = Load(ProgramType.SockOps,
            Mov64Reg(R6, R1),
            Ldx(MemSize.W, R2, R6, SockOpsContext.OffOp), JmpImm(JmpOp.Jne, R2, (int)SockOpsContext.TimeoutInit, 1),
            St(MemSize.W, R6, SockOpsContext.OffReply, 77),
            Mov64Reg(R1, R6), Mov64Imm(R2, 0x101), CallHelper(59), Mov64Reg(R7, R0),
            St(MemSize.DW, R10, -8, BinaryPrimitives.ReadInt32LittleEndian("reno"u8)), St(MemSize.B, R10, -4, 0),
            Mov64Reg(R1, R6), Mov64Imm(R2, 6), Mov64Imm(R3, 13), Mov64Reg(R4, R10), Alu64Imm(AluOp.Add, R4, -8), Mov64Imm(R5, 5),
            CallHelper(49), Alu64Imm(AluOp.Lsh, R0, 32), Alu64Reg(AluOp.Or, R7, R0),
            Mov64Reg(R1, R6), CallHelper(46), Stx(MemSize.DW, R10, R0, -16),
            Mov64Reg(R0, R7), Exit());
        var r = Host.RunSockOps(prog, sock, SockOpsContext.TimeoutInit);
        var ctx = (SockOpsContext)r.Context!;
        Assert.Equal(77u, ctx.Reply);
        Assert.Equal(0x100UL, r.ReturnValue); // the unsupported flag comes back; setsockopt returned 0
        Assert.Equal(1u, sock.SockOpsCbFlags);
        Assert.Equal("reno", sock.CongestionControl);
        Assert.Equal(sock.Cookie, BinaryPrimitives.ReadUInt64LittleEndian(Host.Machine.Stack.Span.Slice(Host.Machine.Stack.Length - 16)));
        var bad = Load(ProgramType.SockOps,
            St(MemSize.DW, R10, -8, BinaryPrimitives.ReadInt32LittleEndian("xyz\0"u8)),
            Mov64Imm(R2, 6), Mov64Imm(R3, 13), Mov64Reg(R4, R10), Alu64Imm(AluOp.Add, R4, -8), Mov64Imm(R5, 4), CallHelper(49), Exit());
        Assert.Equal(unchecked((ulong)-Errno.ENOENT), Host.RunSockOps(bad, sock, SockOpsContext.ActiveEstablishedCb).ReturnValue);
    }

    [Fact]
    public void Sock_ops_fields_come_from_the_tcp_sock_and_sk_is_a_bpf_sock()
    {
        var sock = Host.CreateSocket();
        sock.Tcp["snd_cwnd"] = 33;
        var prog = Load(ProgramType.SockOps,
            Ldx(MemSize.W, R0, R1, SockOpsContext.OffSndCwnd),
            Ldx(MemSize.DW, R2, R1, SockOpsContext.OffSk), Ldx(MemSize.W, R3, R2, 4), // bpf_sock->family
            Alu64Imm(AluOp.Lsh, R3, 16), Alu64Reg(AluOp.Or, R0, R3), Exit());
        Assert.Equal((2UL << 16) | 33, Host.RunSockOps(prog, sock, SockOpsContext.RttCb).ReturnValue);
    }

    [Fact]
    public void Sysctl_helpers_name_values_and_new_value()
    {
        var prog = Load(ProgramType.CgroupSysctl,
            Mov64Reg(R6, R1),
            Mov64Reg(R1, R6), Mov64Reg(R2, R10), Alu64Imm(AluOp.Add, R2, -32), Mov64Imm(R3, 32), Mov64Imm(R4, 0), CallHelper(101), Mov64Reg(R7, R0),
            Mov64Reg(R1, R6), Mov64Reg(R2, R10), Alu64Imm(AluOp.Add, R2, -64), Mov64Imm(R3, 16), CallHelper(102), Mov64Reg(R8, R0),
            St(MemSize.H, R10, -72, 0x3234),
            Mov64Reg(R1, R6), Mov64Reg(R2, R10), Alu64Imm(AluOp.Add, R2, -72), Mov64Imm(R3, 2), CallHelper(104), Mov64Reg(R9, R0),
            St(MemSize.W, R6, 4, 5),
            Mov64Reg(R0, R8), Alu64Imm(AluOp.Lsh, R0, 8), Alu64Reg(AluOp.Add, R0, R7), Alu64Imm(AluOp.Lsh, R9, 16), Alu64Reg(AluOp.Add, R0, R9), Exit());
        var r = Host.RunSysctl(prog, "net/ipv4/ip_forward", "1", newValue: "0");
        Assert.Equal(19UL + (1 << 8), r.ReturnValue);
        var ctx = (SysctlContext)r.Context!;
        Assert.Equal("42", ctx.NewValueText);
        Assert.True(ctx.NewValueUpdated);
        Assert.Equal(5u, ctx.FilePos);
        var read = Host.RunSysctl(prog, "net/ipv4/ip_forward", "1");
        Assert.Equal(19UL + (1 << 8) + ((ulong)unchecked((uint)(-Errno.EINVAL)) << 16), read.ReturnValue & 0xffff_ffff_ffff);
        var shortName = Load(ProgramType.CgroupSysctl,
            Mov64Reg(R2, R10), Alu64Imm(AluOp.Add, R2, -8), Mov64Imm(R3, 8), Mov64Imm(R4, 1), CallHelper(101), Exit());
        Assert.Equal(unchecked((ulong)-Errno.E2BIG), Host.RunSysctl(shortName, "net/ipv4/ip_forward", "1").ReturnValue);
    }

    [Fact]
    public void Sockopt_program_rewrites_optval_and_retval()
    {
        var sock = Host.CreateSocket();
        var prog = Load(ProgramType.CgroupSockopt,
            Ldx(MemSize.DW, R2, R1, SockoptContext.OffOptval), Ldx(MemSize.DW, R3, R1, SockoptContext.OffOptvalEnd),
            Mov64Reg(R4, R2), Alu64Imm(AluOp.Add, R4, 4), Jmp(JmpOp.Jgt, R4, R3, 3),
            St(MemSize.W, R2, 0, 1234), St(MemSize.W, R1, SockoptContext.OffRetval, 0), St(MemSize.W, R1, SockoptContext.OffOptlen, 4),
            Mov64Imm(R0, 1), Exit());
        var ctx = new SockoptContext(sock, isSet: false, level: 6, optname: 1, optval: new byte[8], retval: -1);
        var r = Host.Run(prog, ctx);
        Assert.Equal(1, r.Verdict);
        Assert.Equal(1234, BinaryPrimitives.ReadInt32LittleEndian(ctx.Optval));
        Assert.Equal(0, ctx.Retval);
        Assert.Equal(4, ctx.Optlen);
        var setCtx = new SockoptContext(sock, isSet: true, level: 6, optname: 1, optval: new byte[8]);
        Assert.Equal("bpf_sockopt", Assert.Throws<BpfVmException>(() => Host.Run(prog, setCtx)).Region);
    }

    [Fact]
    public void Struct_ops_callback_uses_reno_kfuncs_on_the_tcp_sock()
    {
        var sock = Host.CreateSocket();
        sock.Tcp["snd_cwnd"] = 10;
        sock.Tcp["snd_ssthresh"] = 12;
        sock.Tcp["is_cwnd_limited"] = 1;
        var prog = Load(ProgramType.StructOps,
            Ldx(MemSize.DW, R6, R1, 0),
            Mov64Reg(R1, R6), Ldx(MemSize.DW, R2, R1, 0), Mov64Imm(R2, 1000), Mov64Imm(R3, 5), CallKfunc(TcpCongestionKfuncs.CongAvoidId),
            Mov64Reg(R1, R6), CallKfunc(TcpCongestionKfuncs.SsthreshId), Mov64Reg(R7, R0),
            Ldx(MemSize.W, R0, R6, 1444), Alu64Imm(AluOp.Lsh, R0, 16), Alu64Reg(AluOp.Or, R0, R7), Exit());
        var r = Host.RunWithArgs(prog, sock.KernelAddress, 1000, 5);
        Assert.Equal((12UL << 16) | 6, r.ReturnValue);
        Assert.Equal(12u, sock.Tcp.U32("snd_cwnd"));
        Assert.Equal(3u, sock.Tcp.U32("snd_cwnd_cnt"));
    }

    [Fact]
    public void Probe_read_kernel_copies_or_zeroes_with_efault()
    {
        var sock = Host.CreateSocket();
        sock.Tcp["snd_cwnd"] = 21;
        var prog = Load(ProgramType.Tracing,
            Ldx(MemSize.DW, R3, R1, 0), Alu64Imm(AluOp.Add, R3, 1444),
            Mov64Reg(R1, R10), Alu64Imm(AluOp.Add, R1, -8), Mov64Imm(R2, 4), CallHelper(113), Mov64Reg(R6, R0),
            Ldx(MemSize.W, R0, R10, -8), Alu64Imm(AluOp.Lsh, R6, 32), Alu64Reg(AluOp.Or, R0, R6), Exit());
        Assert.Equal(21UL, Host.RunWithArgs(prog, sock.KernelAddress).ReturnValue);
        var r = Host.RunWithArgs(prog, 0x1234);
        Assert.Equal(0xffff_fff2_0000_0000UL, r.ReturnValue); // -EFAULT in the high half, zeroed buffer
    }

    public void Dispose()
    {
        Host.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class InterpreterProgramTests : ProgramTests
{
    protected override ExecutionEngine Engine => ExecutionEngine.Interpreter;
}

public sealed class JitProgramTests : ProgramTests
{
    protected override ExecutionEngine Engine => ExecutionEngine.Jit;
}
