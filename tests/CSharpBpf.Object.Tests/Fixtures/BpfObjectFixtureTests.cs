using System.Linq;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Objects;
using Xunit;

namespace CSharpBpf.Object.Tests.Fixtures;

/// <summary>
/// The high-level model of each clang-built fixture against what its C source declares
/// (tests/fixtures/*.bpf.c): programs and sections, maps and their attributes, global data,
/// struct_ops bindings, externs and relocation kinds.
/// </summary>
public class BpfObjectFixtureTests
{
    private static BpfObjectFile Read(string fixture) => BpfObjectFile.Read(FixtureFiles.Bytes(fixture));

    [Fact]
    public void Struct_ops_congestion_control_binds_four_programs_and_calls_four_kfuncs()
    {
        var obj = Read("tcp_csreno.bpf");
        Assert.Equal("GPL", obj.License);
        Assert.Equal(new[] { "csreno_init", "csreno_ssthresh", "csreno_cong_avoid", "csreno_undo_cwnd" },
            obj.Programs.Select(p => p.Name).ToArray());
        Assert.All(obj.Programs, p => Assert.Equal("struct_ops", obj.FindProgramSection(p.SectionName)!.Kind));

        var ops = Assert.Single(obj.StructOps);
        Assert.Equal("csreno", ops.Name);
        Assert.Equal("tcp_congestion_ops", ops.TypeName);
        Assert.Equal(192, ops.Data.Length);
        Assert.False(ops.IsLink);
        var ty = (BtfStruct)obj.Btf![ops.TypeId];
        Assert.Equal("tcp_congestion_ops", ty.Name);
        var bound = ops.FunctionMembers.ToDictionary(m => m.MemberName, m => m.ProgramName);
        Assert.Equal("csreno_init", bound["init"]);
        Assert.Equal("csreno_ssthresh", bound["ssthresh"]);
        Assert.Equal("csreno_cong_avoid", bound["cong_avoid"]);
        Assert.Equal("csreno_undo_cwnd", bound["undo_cwnd"]);
        Assert.Equal(4, bound.Count);
        foreach (var m in ops.FunctionMembers)
            Assert.Equal(ty.FindMember(m.MemberName)!.BitOffset / 8, m.ByteOffset);
        // .name = "csreno" lives in the variable's bytes at the 'name' member's offset.
        int nameAt = (int)(ty.FindMember("name")!.BitOffset / 8);
        Assert.Equal("csreno", System.Text.Encoding.ASCII.GetString(ops.Data, nameAt, 6));
        Assert.Equal(0, ops.Data[nameAt + 6]);

        Assert.Equal(new[] { "tcp_reno_ssthresh", "tcp_slow_start", "tcp_cong_avoid_ai", "tcp_reno_undo_cwnd" },
            obj.Externs.Select(e => e.Name).ToArray());
        Assert.All(obj.Externs, e =>
        {
            Assert.Equal(BpfExternKind.Function, e.Kind);
            Assert.Equal(".ksyms", e.BtfSection);
            var f = Assert.IsType<BtfFunc>(obj.Btf[e.BtfTypeId]);
            Assert.Equal(e.Name, f.Name);
            Assert.Equal(BtfFuncLinkage.Extern, f.Linkage);
        });
        var kfuncCalls = obj.ProgramSections.SelectMany(s => s.Relocations).Where(r => r.Kind == BpfRelocationKind.KfuncCall).ToList();
        Assert.Equal(new[] { "tcp_reno_ssthresh", "tcp_slow_start", "tcp_cong_avoid_ai", "tcp_reno_undo_cwnd" },
            kfuncCalls.Select(r => r.SymbolName).ToArray());
        var cong = obj.FindProgramSection("struct_ops/csreno_cong_avoid")!;
        Assert.All(kfuncCalls, r => Assert.Equal(CSharpBpf.Object.Elf.BpfRelocationType.R_BPF_64_32, r.ElfType));
        var mapRef = Assert.Single(cong.Relocations, r => r.Kind == BpfRelocationKind.Map);
        Assert.Equal("csreno_calls", mapRef.SymbolName);
        Assert.True(cong.Instructions[mapRef.InstructionIndex].IsWideLoad);

        var map = Assert.Single(obj.Maps);
        Assert.Equal(("csreno_calls", BpfMapType.Array, 4u, 8u, 1u), (map.Name, map.Type, map.KeySize, map.ValueSize, map.MaxEntries));
    }

    [Fact]
    public void Sock_ops_program_uses_a_hash_map()
    {
        var obj = Read("sockops_rtt.bpf");
        var p = Assert.Single(obj.Programs);
        Assert.Equal(("count_sockops", "sockops"), (p.Name, p.SectionName));
        var map = Assert.Single(obj.Maps);
        Assert.Equal(("op_counts", BpfMapType.Hash, 4u, 8u, 32u, 0u), (map.Name, map.Type, map.KeySize, map.ValueSize, map.MaxEntries, map.Flags));
        Assert.Equal("__u32", obj.Btf![map.KeyTypeId].Name);
        Assert.Equal("__u64", obj.Btf[map.ValueTypeId].Name);
        var sec = obj.FindProgramSection("sockops")!;
        Assert.Equal(2, sec.Relocations.Count(r => r.Kind == BpfRelocationKind.Map && r.SymbolName == "op_counts"));
        Assert.Empty(obj.Externs);
    }

    [Fact]
    public void Maps_of_every_kind_have_their_declared_attributes()
    {
        var obj = Read("maps_mix.bpf");
        var m = obj.Maps.ToDictionary(x => x.Name);
        void Check(string name, BpfMapType type, uint key, uint value, uint max, uint flags = 0)
        {
            var d = m[name];
            Assert.True((type, key, value, max, flags) == (d.Type, d.KeySize, d.ValueSize, d.MaxEntries, d.Flags), $"{name}: {d}");
            Assert.Equal(".maps", d.SectionName);
            Assert.Equal(name, obj.Btf![d.BtfVarId].Name);
        }
        Check("verdict_counts", BpfMapType.Array, 4, 8, 4);
        Check("flows", BpfMapType.Hash, 16, 16, 1024, flags: 1 /* BPF_F_NO_PREALLOC */);
        Check("percpu_totals", BpfMapType.PercpuArray, 4, 16, 2);
        Check("percpu_by_proto", BpfMapType.PercpuHash, 4, 8, 64);
        Check("recent_sources", BpfMapType.LruHash, 4, 8, 256);
        Check("sk_bytes", BpfMapType.SkStorage, 4, 8, 0, flags: 1);
        Check("events", BpfMapType.Ringbuf, 0, 0, 4096);
        Check("redirect_ports", BpfMapType.DevmapHash, 4, 8, 8);
        Check("inner_a", BpfMapType.Array, 4, 4, 1);
        Check("outer", BpfMapType.ArrayOfMaps, 4, 4, 2);
        Check("jump_table", BpfMapType.ProgArray, 4, 4, 2);
        Assert.Equal(11, obj.Maps.Count);

        Assert.Equal(BpfMapPinning.ByName, m["recent_sources"].Pinning);
        Assert.Equal("flow_key", obj.Btf![m["flows"].KeyTypeId].Name);
        Assert.Equal("pkt_stats", obj.Btf[m["flows"].ValueTypeId].Name);
        Assert.Equal("bpf_devmap_val", obj.Btf[m["redirect_ports"].ValueTypeId].Name);

        var inner = m["outer"].InnerMap!;
        Assert.Equal((BpfMapType.Array, 4u, 4u, 1u), (inner.Type, inner.KeySize, inner.ValueSize, inner.MaxEntries));
        Assert.Equal("[0] = inner_a", Assert.Single(m["outer"].InitialSlots).ToString());
        Assert.Null(m["jump_table"].InnerMap);
        Assert.Equal("[1] = tail_target", Assert.Single(m["jump_table"].InitialSlots).ToString());

        // Two programs share cgroup_skb/ingress; the xdp program references the devmap_hash.
        var skb = obj.FindProgramSection("cgroup_skb/ingress")!;
        Assert.Equal(new[] { ("tail_target", 0), ("count_ingress", 12) }, skb.Functions.Select(f => (f.Name, f.InstructionOffset)).ToArray());
        Assert.Equal(skb.Instructions.Count, skb.Functions.Sum(f => f.InstructionCount));
        var referenced = skb.Relocations.Select(r => r.SymbolName).Distinct().OrderBy(x => x).ToArray();
        Assert.Equal(new[] { "events", "flows", "jump_table", "outer", "percpu_by_proto", "percpu_totals", "recent_sources", "sk_bytes", "verdict_counts" }, referenced);
        Assert.All(skb.Relocations, r => Assert.Equal(m[r.SymbolName].SectionOffset, (ulong)r.TargetOffset));
        Assert.Equal("redirect_ports", Assert.Single(obj.FindProgramSection("xdp")!.Relocations).SymbolName);
    }

    [Fact]
    public void Core_reads_fixture_has_a_relocation_of_each_requested_kind()
    {
        var obj = Read("core_reads.bpf");
        Assert.Equal(new[] { "tp_btf/sched_switch", "raw_tp/tcp_probe" }, obj.Programs.Select(p => p.SectionName).ToArray());
        var kinds = obj.BtfExt!.CoreRelos.SelectMany(s => s.Records).Select(r => r.Kind).Distinct().ToHashSet();
        foreach (var k in new[] { BpfCoreReloKind.FieldByteOffset, BpfCoreReloKind.FieldExists, BpfCoreReloKind.TypeExists,
                     BpfCoreReloKind.EnumvalValue, BpfCoreReloKind.FieldByteSize, BpfCoreReloKind.FieldLShiftU64, BpfCoreReloKind.FieldRShiftU64 })
            Assert.Contains(k, kinds);
        var enumRelo = obj.BtfExt.CoreRelos.SelectMany(s => s.Records).Single(r => r.Kind == BpfCoreReloKind.EnumvalValue);
        var en = Assert.IsType<BtfEnum>(obj.Btf![enumRelo.TypeId]);
        Assert.Equal("bpf_map_type", en.Name);
        Assert.Equal("BPF_MAP_TYPE_RINGBUF", en.Values[int.Parse(enumRelo.AccessString)].Name);
    }

    [Fact]
    public void Calls_and_globals_resolve_to_subprograms_and_data_sections()
    {
        var obj = Read("calls_globals.bpf");
        Assert.Equal("Dual BSD/GPL", obj.License);
        var text = obj.FindProgramSection(".text")!;
        Assert.Equal(new[] { ("classify", true), ("first_byte", false) }, text.Functions.Select(f => (f.Name, f.IsGlobal)).ToArray());
        Assert.All(text.Functions, f => Assert.False(f.IsEntryPoint));
        Assert.Equal(BtfFuncLinkage.Global, ((BtfFunc)obj.Btf!.Find("classify", BtfKind.Func)!).Linkage);
        Assert.Equal(BtfFuncLinkage.Static, ((BtfFunc)obj.Btf.Find("first_byte", BtfKind.Func)!).Linkage);

        var xdp = obj.FindProgramSection("xdp")!;
        var call = Assert.Single(xdp.Relocations, r => r.Kind == BpfRelocationKind.SubprogramCall);
        Assert.Equal(("classify", ".text", 0L), (call.SymbolName, call.TargetSectionName, call.TargetOffset));
        // The static first_byte is called inside .text with a pc-relative call and no relocation.
        int firstByte = text.Functions.Single(f => f.Name == "first_byte").InstructionOffset;
        var local = text.Instructions.Select((insn, i) => (insn, i)).Single(x => x.insn.IsCall && x.insn.Src == 1);
        Assert.Equal(firstByte, local.i + local.insn.Imm + 1);

        var globals = xdp.Relocations.Where(r => r.Kind == BpfRelocationKind.GlobalData)
            .Select(r => (r.SymbolName, r.TargetSectionName, r.TargetOffset)).ToArray();
        Assert.Equal(new[] { ("packets_seen", ".data", 0L), ("last_len", ".bss", 0L), ("packets_dropped", ".bss", 8L) }, globals);
        var rodataRef = Assert.Single(text.Relocations);
        Assert.Equal(("drop_byte", BpfRelocationKind.GlobalData, ".rodata"), (rodataRef.SymbolName, rodataRef.Kind, rodataRef.TargetSectionName));

        var rodata = obj.FindDataSection(".rodata")!;
        Assert.True(rodata.IsReadOnly);
        Assert.Equal(0xff, rodata.Data[0]); // drop_byte = 0xff
        var greeting = rodata.Variables.Single(v => v.Name == "greeting");
        Assert.Equal("csbpf", System.Text.Encoding.ASCII.GetString(rodata.Data, (int)greeting.Offset, 5));
        var data = obj.FindDataSection(".data")!;
        Assert.Equal(new byte[] { 1, 0, 0, 0, 0, 0, 0, 0 }, data.Data); // packets_seen = 1
        var bss = obj.FindDataSection(".bss")!;
        Assert.True(bss.IsBss);
        Assert.Equal(16UL, bss.Size);
        Assert.Equal(new[] { "last_len", "packets_dropped" }, bss.Variables.Select(v => v.Name).ToArray());
        Assert.Empty(obj.Maps);
    }

    [Fact]
    public void Legacy_maps_section_and_version_are_read()
    {
        var obj = Read("legacy_maps.bpf");
        Assert.Equal(0x061200u, obj.KernelVersion);
        Assert.Equal(2, obj.Maps.Count);
        var counts = obj.FindMap("legacy_counts")!;
        Assert.True(counts.IsLegacy);
        Assert.Equal((BpfMapType.Array, 4u, 8u, 16u, 0u), (counts.Type, counts.KeySize, counts.ValueSize, counts.MaxEntries, counts.Flags));
        var hash = obj.FindMap("legacy_hash")!;
        Assert.Equal((BpfMapType.Hash, 4u, 4u, 128u, 1u), (hash.Type, hash.KeySize, hash.ValueSize, hash.MaxEntries, hash.Flags));
        var refs = obj.FindProgramSection("socket")!.Relocations;
        Assert.Equal(new[] { ("legacy_counts", "maps"), ("legacy_hash", "maps") }, refs.Select(r => (r.SymbolName, r.TargetSectionName)).ToArray());
    }

    [Fact]
    public void Externs_of_each_flavour_and_a_callback_address_are_resolved()
    {
        var obj = Read("externs_callbacks.bpf");
        var ext = obj.Externs.ToDictionary(e => e.Name);
        Assert.Equal((BpfExternKind.Variable, false, ".kconfig"), (ext["LINUX_KERNEL_VERSION"].Kind, ext["LINUX_KERNEL_VERSION"].IsWeak, ext["LINUX_KERNEL_VERSION"].BtfSection));
        Assert.Equal((BpfExternKind.Variable, true, ".kconfig"), (ext["CONFIG_BPF_SYSCALL"].Kind, ext["CONFIG_BPF_SYSCALL"].IsWeak, ext["CONFIG_BPF_SYSCALL"].BtfSection));
        Assert.Equal((BpfExternKind.Function, true, ".ksyms"), (ext["bpf_task_acquire"].Kind, ext["bpf_task_acquire"].IsWeak, ext["bpf_task_acquire"].BtfSection));
        Assert.Equal((BpfExternKind.Function, true, ".ksyms"), (ext["bpf_task_release"].Kind, ext["bpf_task_release"].IsWeak, ext["bpf_task_release"].BtfSection));
        Assert.Equal(4, ext.Count);
        Assert.IsType<BtfVar>(obj.Btf![ext["LINUX_KERNEL_VERSION"].BtfTypeId]);

        var prog = obj.FindProgramSection("tp_btf/sched_process_exec")!;
        var byName = prog.Relocations.GroupBy(r => r.SymbolName).ToDictionary(g => g.Key, g => g.Select(r => r.Kind).ToArray());
        Assert.Equal(new[] { BpfRelocationKind.ExternVariable }, byName["LINUX_KERNEL_VERSION"]);
        Assert.Equal(new[] { BpfRelocationKind.ExternVariable }, byName["CONFIG_BPF_SYSCALL"]);
        // "if (bpf_task_acquire)" loads the weak kfunc's address; then it is called.
        Assert.Equal(new[] { BpfRelocationKind.ExternVariable, BpfRelocationKind.KfuncCall }, byName["bpf_task_acquire"]);
        // bpf_loop's callback: an LD_IMM64 of the static add_index through the .text section symbol.
        var callback = Assert.Single(prog.Relocations, r => r.Kind == BpfRelocationKind.SubprogramAddress);
        Assert.Equal((".text", ".text", 0L), (callback.SymbolName, callback.TargetSectionName, callback.TargetOffset));
        Assert.Equal(obj.FindFunction("add_index")!.InstructionOffset, (int)callback.TargetOffset);
        Assert.True(prog.Instructions[callback.InstructionIndex].IsWideLoad);
        Assert.Equal(new[] { "observed_version", "loop_sum" }, obj.FindDataSection(".bss")!.Variables.Select(v => v.Name).ToArray());
    }

    [Fact]
    public void Struct_ops_link_section_is_read_as_a_link()
    {
        var obj = Read("csreno_link.bpf");
        var ops = Assert.Single(obj.StructOps);
        Assert.Equal(("csrenol", ".struct_ops.link", "tcp_congestion_ops", true), (ops.Name, ops.SectionName, ops.TypeName, ops.IsLink));
        Assert.Equal(new[] { ("ssthresh", "csrenol_ssthresh"), ("cong_avoid", "csrenol_cong_avoid"), ("undo_cwnd", "csrenol_undo_cwnd") },
            ops.FunctionMembers.Select(m => (m.MemberName, m.ProgramName)).ToArray());
        Assert.Contains(obj.Externs, e => e.Name == "tcp_reno_cong_avoid" && e.Kind == BpfExternKind.Function);
    }
}
