using System;
using System.IO;
using System.Linq;
using CSharpBpf.Object.Elf;
using CSharpBpf.Object.Objects;
using CSharpBpf.Object.Tests.Fixtures;
using CSharpBpf.TestSupport;
using Xunit;

namespace CSharpBpf.Object.Tests.Kernel;

/// <summary>A from-scratch object with a BTF-defined map and .bss: read back as built, and
/// bpftool (libbpf) creates the map and loads the program from the same bytes.</summary>
public class FromScratchMapsTests
{
    [Fact]
    public void Written_map_and_bss_read_back_with_their_attributes_and_relocations()
    {
        var bytes = MapsFromScratch.Build().ToBytes();
        var obj = BpfObjectFile.Read(bytes);
        var map = Assert.Single(obj.Maps);
        Assert.Equal((MapsFromScratch.MapName, BpfMapType.Array, 4u, 8u, 1u, 0UL, 32UL),
            (map.Name, map.Type, map.KeySize, map.ValueSize, map.MaxEntries, map.SectionOffset, map.DefinitionSize));
        Assert.Equal("__u32", obj.Btf![map.KeyTypeId].Name);
        Assert.Equal("__u64", obj.Btf[map.ValueTypeId].Name);
        var bss = obj.FindDataSection(".bss")!;
        Assert.True(bss.IsBss);
        Assert.Equal(8UL, bss.Size);
        Assert.Equal(ElfSectionType.NoBits, obj.Elf!.FindSection(".bss")!.Type);
        var relocs = obj.FindProgramSection("xdp")!.Relocations;
        Assert.Equal(new[] { (3, BpfRelocationKind.Map, ".maps", 0L), (9, BpfRelocationKind.GlobalData, ".bss", 0L) },
            relocs.Select(r => (r.InstructionIndex, r.Kind, r.TargetSectionName, r.TargetOffset)).ToArray());
    }

    [SkippableFact]
    public void Bpftool_creates_the_map_and_loads_the_program()
    {
        KernelSkip.UnlessBpfAllowed();
        Skip.IfNot(ExternalTool.IsInstalled("bpftool"), "bpftool is not installed");
        using var load = BpftoolLoad.Program(MapsFromScratch.Build().ToBytes(), "elf_maps");
        load.AssertSucceeded();
        var show = ExternalTool.Run("bpftool", "-j", "prog", "show", "pinned", load.Pin);
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("\"map_ids\":[", show.StdOut);
        string mapId = System.Text.RegularExpressions.Regex.Match(show.StdOut, "\"map_ids\":\\[(\\d+)").Groups[1].Value;
        var maps = ExternalTool.Run("bpftool", "map", "show", "id", mapId);
        Assert.Contains("array", maps.StdOut);
        Assert.Contains("key 4B  value 8B  max_entries 1", maps.StdOut);
    }
}
