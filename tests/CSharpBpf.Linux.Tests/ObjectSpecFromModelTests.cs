using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Linux.Loader;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Elf;
using CSharpBpf.Object.Isa;
using CSharpBpf.Object.Objects;
using CSharpBpf.TestSupport;
using Xunit;

namespace CSharpBpf.Linux.Tests;

/// <summary>
/// ObjectSpec is built from CSharpBpf.Object's BpfObjectFile (no ELF reading of its own): the spec
/// has the model's functions, maps and externs, its BTF fix-ups put DATASECs where the ELF has them,
/// and a model built in memory (no ELF at all) loads.
/// </summary>
[Collection("kernel")]
public sealed class ObjectSpecFromModelTests
{
    [Theory]
    [InlineData("linux/cc_counting.bpf.o")]
    [InlineData("linux/syscall_count.bpf.o")]
    [InlineData("linux/xdp_redirect.bpf.o")]
    [InlineData("linux/skb_storage.bpf.o")]
    [InlineData("calls_globals.bpf.o")]
    [InlineData("externs_callbacks.bpf.o")]
    [InlineData("maps_mix.bpf.o")]
    public void Spec_has_the_models_functions_maps_and_externs(string fixture)
    {
        var bytes = System.IO.File.ReadAllBytes(RepoPaths.Fixture(fixture));
        var model = BpfObjectFile.Read(bytes);
        var spec = ObjectSpec.Read(bytes, "fixture");

        Assert.Equal(model.Programs.Select(f => f.Name).OrderBy(n => n), spec.Programs.Select(f => f.Name).OrderBy(n => n));
        var text = model.FindProgramSection(BpfSectionNames.Text);
        Assert.Equal(text?.Functions.Select(f => f.Name).OrderBy(n => n) ?? Enumerable.Empty<string>(), spec.Subprograms.Select(f => f.Name).OrderBy(n => n));
        foreach (var fn in spec.Programs.Concat(spec.Subprograms))
        {
            var section = model.FindProgramSection(fn.SectionName)!;
            Assert.Equal(section.Instructions.Skip(fn.StartInsn).Take(fn.Instructions.Length), fn.Instructions);
            Assert.All(fn.Relocations, r => Assert.True(fn.Contains(fn.SectionName, r.Key)));
        }
        Assert.Equal(SectionRelocations(model), spec.Programs.Concat(spec.Subprograms).Sum(f => f.Relocations.Count));

        var expectedMaps = model.Maps.Select(m => m.Name)
            .Concat(model.DataSections.Where(d => d.Size > 0 && d.Name != BpfSectionNames.Kconfig).Select(d => d.Name))
            .Concat(model.StructOps.Select(s => s.Name));
        Assert.Equal(expectedMaps.OrderBy(n => n), spec.Maps.Select(m => m.Name).OrderBy(n => n));
        Assert.Equal(model.Externs.Select(e => e.Name).OrderBy(n => n), spec.Externs.Keys.OrderBy(n => n));

        static int SectionRelocations(BpfObjectFile m) => m.ProgramSections.Sum(s => s.Relocations.Count);
    }

    [Theory]
    [InlineData("linux/cc_counting.bpf.o")]
    [InlineData("linux/syscall_count.bpf.o")]
    [InlineData("calls_globals.bpf.o")]
    [InlineData("maps_mix.bpf.o")]
    public void Btf_fixups_give_each_datasec_its_elf_section_size_and_symbol_offsets(string fixture)
    {
        var bytes = System.IO.File.ReadAllBytes(RepoPaths.Fixture(fixture));
        var elf = ElfReader.Read(bytes);
        var spec = ObjectSpec.Read(bytes, "fixture");
        int checkedSections = 0;
        foreach (var ds in spec.Btf!.Types.OfType<BtfDatasec>())
        {
            if (ds.Name is ".ksyms" or ".kconfig") continue;
            var section = elf.FindSection(ds.Name);
            Assert.NotNull(section);
            Assert.Equal(section!.Size, (ulong)ds.Size);
            var symbols = elf.SymbolsIn(section.Index).Where(s => s.Name.Length > 0 && s.Type != ElfSymbolType.Section).ToDictionary(s => s.Name, s => s.Value);
            foreach (var v in ds.Variables)
                Assert.Equal(symbols[spec.Btf[v.TypeId].Name], (ulong)v.Offset);
            checkedSections++;
        }
        Assert.True(checkedSections >= 2, $"{fixture}: only {checkedSections} DATASECs checked");
    }

    [SkippableFact]
    public void Extern_ksyms_and_kconfig_leave_no_extern_linkage_and_the_kernel_takes_the_BTF()
    {
        // .kconfig VARs (one __weak) and __weak kfuncs: the kernel refuses extern linkage anywhere in BTF.
        var spec = ObjectSpec.Read(RepoPaths.Fixture("externs_callbacks.bpf.o"));
        var btf = spec.Btf!;
        Assert.DoesNotContain(btf.Types, t => t is BtfVar { Linkage: BtfVarLinkage.GlobalExtern });
        Assert.DoesNotContain(btf.Types, t => t is BtfFunc { Linkage: BtfFuncLinkage.Extern });
        var kconfig = (BtfDatasec)btf.Find(".kconfig", BtfKind.Datasec)!;
        Assert.Equal(new[] { "LINUX_KERNEL_VERSION", "CONFIG_BPF_SYSCALL" }.OrderBy(n => n), kconfig.Variables.Select(v => btf[v.TypeId].Name).OrderBy(n => n));
        Assert.True(spec.Externs["CONFIG_BPF_SYSCALL"].IsKconfig && spec.Externs["CONFIG_BPF_SYSCALL"].IsWeak);
        Assert.True(spec.Externs["bpf_task_acquire"].IsFunction);

        KernelSkip.UnlessBpfAllowed();
        var bytes = KernelTypes.BtfSanitizer.Sanitize(BtfWriter.Write(btf, spec.BtfExt ?? new BtfExt()).Btf, KernelTypes.BtfFeatures.Running);
        using var fd = KernelTypes.BtfLoader.Load(bytes);
        Assert.True(fd.Value > 0);
    }

    [SkippableFact]
    public void A_model_built_in_memory_loads_without_any_ELF()
    {
        var model = new BpfObjectFile { License = "GPL" };
        var insns = new List<Instruction> { Insns.Mov64Imm(Reg.R0, 2), Insns.Exit() };
        model.ProgramSections.Add(new BpfProgramSection("xdp", insns, new[] { new BpfFunction("pass_all", "xdp", 0, 2, true) }, new BpfInstructionRelocation[0]));
        var spec = ObjectSpec.FromObject(model, "inmemory");
        Assert.Null(spec.ObjectFile.Elf);
        Assert.Equal("pass_all", Assert.Single(spec.Programs).Name);

        KernelSkip.UnlessBpfAllowed();
        using var obj = BpfObject.Load(spec);
        Assert.Equal(2u, obj.Program("pass_all").TestRun(new byte[64]).ReturnValue);
    }
}
