using System;
using System.Linq;
using CSharpBpf.Linux.Loader;
using CSharpBpf.Linux.Maps;
using CSharpBpf.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace CSharpBpf.Linux.Tests;

[Collection("kernel")]
public sealed class ObjectLoadTests
{
    private readonly ITestOutputHelper _out;

    public ObjectLoadTests(ITestOutputHelper output) => _out = output;

    [SkippableTheory]
    [InlineData("sockops_mark.bpf.o", "set_mark")]
    [InlineData("skb_storage.bpf.o", "count_egress,count_ingress")]
    [InlineData("sysctl_sockopt.bpf.o", "sysctl_policy,getsockopt_ttl,setsockopt_priority")]
    [InlineData("xdp_redirect.bpf.o", "redirect,count_packets")]
    [InlineData("syscall_count.bpf.o", "count_raw,count_btf")]
    [InlineData("core_task.bpf.o", "probe")]
    [InlineData("cc_counting.bpf.o", "cc_init,cc_ssthresh,cc_cong_avoid,cc_undo_cwnd")]
    [InlineData("cc_link.bpf.o", "lnk_ssthresh,lnk_cong_avoid,lnk_undo_cwnd")]
    [InlineData("freplace_target.bpf.o", "target_xdp")]
    public void Loads_every_program_of_the_clang_twin(string file, string programs)
    {
        KernelSkip.UnlessBpfAllowed();
        using var obj = BpfObject.Load(Fixtures.Linux(file));
        foreach (var p in programs.Split(','))
        {
            var prog = obj.Program(p);
            Assert.True(prog.Id > 0);
            _out.WriteLine($"{file}: {p} id {prog.Id}, {obj.Linked[p].Instructions.Count} insns");
        }
        foreach (var m in obj.Maps) _out.WriteLine($"  map {m.Key} id {m.Value.Id} {m.Value.Type}");
    }

    [SkippableTheory]
    [InlineData("calls_globals.bpf.o")]
    [InlineData("core_reads.bpf.o")]
    [InlineData("sockops_rtt.bpf.o")]
    [InlineData("tcp_csreno.bpf.o")]
    public void Loads_the_shared_object_model_fixtures(string file)
    {
        KernelSkip.UnlessBpfAllowed();
        var spec = ObjectSpec.Read(RepoPaths.Fixture(file));
        using var obj = BpfObject.Load(spec);
        var expected = spec.Programs.Where(p => p.Kind!.Type != Programs.BpfProgramType.StructOps || spec.StructOps.Count > 0).Select(p => p.Name).ToList();
        Assert.NotEmpty(expected);
        foreach (var p in expected)
        {
            Assert.True(obj.Program(p).Id > 0);
            _out.WriteLine($"{file}: {p} ({obj.Program(p).Type}) {obj.Linked[p].Instructions.Count} insns, {obj.Linked[p].CoreRelos.Count} CO-RE relocations");
        }
    }

    [SkippableFact]
    public void Rodata_is_frozen_and_holds_the_values_set_before_load()
    {
        KernelSkip.UnlessBpfAllowed();
        var spec = ObjectSpec.Read(Fixtures.Linux("syscall_count.bpf.o"));
        spec.SetGlobal("target_tid", 1234u);
        spec.SetGlobal("target_nr", 39L);
        using var obj = BpfObject.Load(spec);
        Assert.Equal(1234u, obj.ReadGlobal<uint>("target_tid"));
        Assert.Equal(39L, obj.ReadGlobal<long>("target_nr"));
        Assert.Equal(1000UL, obj.ReadGlobal<ulong>("btf_hits"));
        Assert.Equal(0UL, obj.ReadGlobal<ulong>("raw_hits"));
        var rodata = obj.Map(".rodata");
        var ex = Assert.Throws<BpfSyscallException>(() => rodata.Update(BitConverter.GetBytes(0), new byte[rodata.ValueSize]));
        Assert.Equal("BPF_MAP_UPDATE_ELEM", ex.Command);
        Assert.Equal(Native.Errno.EPERM, ex.Errno);
    }
}
