using System;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Elf;
using CSharpBpf.Object.Isa;
using CSharpBpf.Object.Objects;

namespace CSharpBpf.Object.Tests.Kernel;

/// <summary>
/// An XDP object built from scratch with a BTF-defined array map (libbpf's __uint/__type
/// encoding) and a .bss variable, both referenced from the program: exercises the writer's map
/// layout from BTF, map and global-data relocations, and a NOBITS section.
/// </summary>
internal static class MapsFromScratch
{
    public const string Section = "xdp";
    public const string Function = "xdp_count";
    public const string MapName = "counters";
    public const string Variable = "last_verdict";

    /// <param name="tweakDefinition">Test hook: alters the map's BTF definition struct before writing.</param>
    public static BpfObjectFile Build(Action<CSharpBpf.Object.Btf.Btf, BtfStruct>? tweakDefinition = null)
    {
        var btf = new CSharpBpf.Object.Btf.Btf();
        var i32 = btf.AddInt("int", 4, BtfIntEncoding.Signed);
        var u32 = btf.AddTypedef("__u32", btf.AddInt("unsigned int", 4, BtfIntEncoding.None).Id);
        var u64 = btf.AddTypedef("__u64", btf.AddInt("unsigned long long", 8, BtfIntEncoding.None).Id);
        var sizeIndex = btf.AddInt("__ARRAY_SIZE_TYPE__", 4, BtfIntEncoding.None);
        uint UintAttribute(uint n) => btf.AddPtr(btf.AddArray(i32.Id, sizeIndex.Id, n).Id).Id; // int (*name)[n]

        var def = btf.AddStruct("", 32);
        def.AddMember("type", UintAttribute((uint)BpfMapType.Array), 0);
        def.AddMember("max_entries", UintAttribute(1), 64);
        def.AddMember("key", btf.AddPtr(u32.Id).Id, 128);
        def.AddMember("value", btf.AddPtr(u64.Id).Id, 192);
        tweakDefinition?.Invoke(btf, def);
        var mapVar = btf.AddVar(MapName, def.Id, BtfVarLinkage.GlobalAllocated);
        btf.AddDatasec(".maps", 32).AddVariable(mapVar.Id, 0, 32);
        var bssVar = btf.AddVar(Variable, u64.Id, BtfVarLinkage.GlobalAllocated);
        btf.AddDatasec(".bss", 8).AddVariable(bssVar.Id, 0, 8);

        var xdpMd = btf.AddStruct("xdp_md", 24);
        xdpMd.AddMember("data", u32.Id, 0);
        xdpMd.AddMember("data_end", u32.Id, 32);
        var proto = btf.AddFuncProto(i32.Id);
        proto.Parameters.Add(new BtfParam("ctx", btf.AddPtr(xdpMd.Id).Id));
        btf.AddFunc(Function, proto.Id, BtfFuncLinkage.Global);

        var insns = new[]
        {
            Insns.St(MemSize.W, 10, -4, 0),              // 0: key = 0
            Insns.Mov64Reg(2, 10),                       // 1
            Insns.Alu64Imm(AluOp.Add, 2, -4),            // 2: r2 = &key
            Insns.LoadImm64(1, 0)[0],                    // 3: r1 = &counters (relocated)
            Insns.LoadImm64(1, 0)[1],                    // 4
            Insns.CallHelper(1),                         // 5: bpf_map_lookup_elem
            Insns.JmpImm(JmpOp.Jeq, 0, 0, 2),            // 6: if !value goto 9
            Insns.Mov64Imm(1, 1),                        // 7
            Insns.AtomicAdd(MemSize.DW, 0, 1, 0),        // 8: *value += 1
            Insns.LoadImm64(1, 0)[0],                    // 9: r1 = &last_verdict (relocated)
            Insns.LoadImm64(1, 0)[1],                    // 10
            Insns.St(MemSize.DW, 1, 0, 2),               // 11: last_verdict = XDP_PASS
            Insns.Mov64Imm(0, 2),                        // 12: return XDP_PASS
            Insns.Exit(),                                // 13
        };
        var obj = new BpfObjectFile { License = "GPL", Btf = btf };
        obj.ProgramSections.Add(new BpfProgramSection(Section, insns,
            new[] { new BpfFunction(Function, Section, 0, insns.Length, isGlobal: true) },
            new[]
            {
                new BpfInstructionRelocation(3, BpfRelocationType.R_BPF_64_64, MapName, BpfRelocationKind.Map, ".maps", 0),
                new BpfInstructionRelocation(9, BpfRelocationType.R_BPF_64_64, Variable, BpfRelocationKind.GlobalData, ".bss", 0),
            }));
        // DefinitionSize 0: the writer lays the map out from its BTF VAR.
        obj.Maps.Add(new BpfMapDefinition { Name = MapName, Type = BpfMapType.Array, KeySize = 4, ValueSize = 8, MaxEntries = 1, BtfVarId = mapVar.Id });
        obj.DataSections.Add(new BpfDataSection(".bss", Array.Empty<byte>(), 8, 8, isReadOnly: false,
            new[] { new BpfDataVariable(Variable, 0, 8, isGlobal: true) }));
        return obj;
    }
}
