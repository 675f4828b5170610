using System;
using System.Linq;
using CSharpBpf.Object;
using CSharpBpf.Object.Elf;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.Cli.Run;

/// <summary>
/// Picks a program section out of a BPF ELF object for `csbpf run`: the named section, or the
/// first executable section with instructions. Programs that need maps or global data (they carry
/// relocations) are refused with a message saying so.
/// </summary>
internal static class ElfProgramReader
{
    public static (string Section, Instruction[] Instructions) Read(byte[] bytes, string? section)
    {
        var elf = ElfReader.Read(bytes);
        if (!elf.IsBpf) throw new BpfFormatException("ELF", 18, $"an eBPF object (e_machine 247), not machine {elf.Machine}");
        var candidates = elf.Sections.Where(s => s.IsExecutable && s.Size > 0).ToList();
        ElfSection? chosen = section is null ? candidates.FirstOrDefault() : elf.FindSection(section);
        if (chosen is null)
            throw new ArgumentException(section is null
                ? "the object has no executable section"
                : $"no section '{section}'; program sections: {string.Join(", ", candidates.Select(c => c.Name))}");
        if (!chosen.IsExecutable) throw new ArgumentException($"section '{chosen.Name}' holds no instructions");
        var relocations = elf.FindRelocationsFor(chosen.Index);
        if (relocations is not null && relocations.Entries.Count > 0)
            throw new ArgumentException($"section '{chosen.Name}' has {relocations.Entries.Count} relocations (maps, globals or calls across sections); `csbpf run` runs self-contained programs");
        return (chosen.Name, InstructionCodec.Decode(chosen.Data, elf.IsBigEndian));
    }
}
