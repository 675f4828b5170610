using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using CSharpBpf.TestSupport;
using CSharpBpf.Vm;
using CSharpBpf.Vm.Contexts;
using CSharpBpf.Vm.Host;
using CSharpBpf.Vm.Maps;
using Xunit;

namespace CSharpBpf.Vm.Tests.Objects;

/// <summary>clang-built objects from tests/fixtures loaded through BpfObjectFile and run in the VM, on each engine.</summary>
public abstract class ObjectLoadingTests : IDisposable
{
    protected ObjectLoadingTests() => Host = new BpfTestHost(Engine);

    protected abstract ExecutionEngine Engine { get; }

    protected BpfTestHost Host { get; }

    private VmObject Load(string fixture) => Host.LoadObject(File.ReadAllBytes(RepoPaths.Fixture(fixture)));

    [Fact]
    public void Calls_and_global_data_behave_as_compiled()
    {
        var obj = Load("calls_globals.bpf.o");
        var prog = obj.Program("xdp_filter");
        Assert.Equal(ProgramType.Xdp, prog.Type);
        var drop = new byte[20];
        drop[0] = 0xff;
        Assert.Equal(XdpContext.XdpDrop, Host.RunXdp(prog, drop).Verdict);
        Assert.Equal(XdpContext.XdpPass, Host.RunXdp(prog, new byte[30]).Verdict);
        var file = CSharpBpf.Object.Objects.BpfObjectFile.Read(File.ReadAllBytes(RepoPaths.Fixture("calls_globals.bpf.o")));
        int Offset(string section, string variable) => (int)file.FindDataSection(section)!.Variables.First(v => v.Name == variable).Offset;
        var data = obj.Map<ArrayMap>(".data").Get(0);
        var bss = obj.Map<ArrayMap>(".bss").Get(0);
        Assert.Equal(3UL, BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(Offset(".data", "packets_seen")))); // starts at 1
        Assert.Equal(1UL, BinaryPrimitives.ReadUInt64LittleEndian(bss.AsSpan(Offset(".bss", "packets_dropped"))));
        Assert.Equal(30u, BinaryPrimitives.ReadUInt32LittleEndian(bss.AsSpan(Offset(".bss", "last_len"))));
        // .rodata is read-only to programs
        Assert.True((obj.Map(".rodata").Spec.Flags & MapSpec.ReadOnlyProg) != 0);
    }

    [Fact]
    public void Struct_ops_reno_runs_with_kfuncs_and_its_map()
    {
        var obj = Load("tcp_csreno.bpf.o");
        var sock = Host.CreateSocket();
        sock.Tcp["snd_cwnd"] = 10;
        sock.Tcp["snd_ssthresh"] = 12;
        var ops = obj.StructOps["csreno"];
        Host.RunWithArgs(ops["cong_avoid"], sock.KernelAddress, 1000, 5);
        Assert.Equal(12u, sock.Tcp.U32("snd_cwnd"));      // slow start to ssthresh…
        Assert.Equal(3u, sock.Tcp.U32("snd_cwnd_cnt"));   // …then 3 acks of credit at w = 12
        Assert.Equal(1UL, obj.Map<ArrayMap>("csreno_calls").GetUInt64(0));
        Assert.Equal(6UL, Host.RunWithArgs(ops["ssthresh"], sock.KernelAddress).ReturnValue);
        Host.RunWithArgs(ops["init"], sock.KernelAddress);
        Assert.Equal(20u, sock.Tcp.U32("snd_ssthresh"));
        sock.Tcp["prior_cwnd"] = 40;
        Assert.Equal(40UL, Host.RunWithArgs(ops["undo_cwnd"], sock.KernelAddress).ReturnValue);
    }

    [Fact]
    public void Sock_ops_counts_ops_and_enables_rtt_callbacks()
    {
        var obj = Load("sockops_rtt.bpf.o");
        var prog = obj.Program("count_sockops");
        var sock = Host.CreateSocket();
        var r = Host.RunSockOps(prog, sock, SockOpsContext.ActiveEstablishedCb);
        Assert.Equal(1, r.Verdict);
        Host.RunSockOps(prog, sock, SockOpsContext.ActiveEstablishedCb);
        Assert.Equal(8u, sock.SockOpsCbFlags); // BPF_SOCK_OPS_RTT_CB_FLAG
        var counts = obj.Map<HashMap>("op_counts");
        Assert.Equal(2UL, BinaryPrimitives.ReadUInt64LittleEndian(counts.Lookup(BitConverter.GetBytes(SockOpsContext.ActiveEstablishedCb))));
    }

    [Fact]
    public void Unsupported_map_kinds_fail_only_the_programs_that_use_them()
    {
        var obj = Load("maps_mix.bpf.o");
        Assert.True(obj.Maps.ContainsKey("verdict_counts"));
        Assert.True(obj.Maps.ContainsKey("events"));
        Assert.IsType<ProgArrayMap>(obj.Map("jump_table"));
        Assert.NotEmpty(obj.Programs);
    }

    public void Dispose()
    {
        Host.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class InterpreterObjectLoadingTests : ObjectLoadingTests
{
    protected override ExecutionEngine Engine => ExecutionEngine.Interpreter;
}

public sealed class JitObjectLoadingTests : ObjectLoadingTests
{
    protected override ExecutionEngine Engine => ExecutionEngine.Jit;
}

public sealed class ObjectBtfLayoutTests
{
    [Fact]
    public void Sockets_can_be_laid_out_by_the_objects_own_btf()
    {
        using var host = new BpfTestHost(ExecutionEngine.Jit);
        var obj = host.LoadObject(File.ReadAllBytes(RepoPaths.Fixture("tcp_csreno.bpf.o")));
        var layout = CSharpBpf.Vm.Kernel.BtfLayouts.FromBtf(obj.Btf!, "tcp_sock");
        var sock = host.CreateSocket(tcpLayout: layout);
        sock.Tcp["snd_ssthresh"] = 0;
        host.RunWithArgs(obj.StructOps["csreno"]["init"], sock.KernelAddress);
        Assert.Equal(20u, sock.Tcp.U32("snd_ssthresh"));
        // the object's tcp_sock holds only the fields the program touches: Reno's kfuncs say what is missing
        if (!layout.Has("snd_cwnd_cnt"))
        {
            var e = Assert.Throws<BpfVmException>(() => host.RunWithArgs(obj.StructOps["csreno"]["ssthresh"], sock.KernelAddress));
            Assert.Contains("layout has no", e.Message);
        }
    }
}
