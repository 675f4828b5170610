using System.Linq;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Elf;
using CSharpBpf.Object.Isa;
using CSharpBpf.Object.Objects;

namespace CSharpBpf.Object.Tests.Fuzz;

/// <summary>Everything a loader does with an object's bytes, end to end: ELF, BpfObjectFile (BTF,
/// BTF.ext, maps, relocations), instruction decode and disassembly of each program section, and
/// every lazily resolved BTF name (the raw formatter touches them all).</summary>
public static class ObjectPipeline
{
    public static int Run(byte[] bytes)
    {
        ElfFile elf;
        BpfObjectFile obj;
        try
        {
            obj = BpfObjectFile.Read(bytes);
            elf = obj.Elf!;
        }
        catch (BpfFormatException)
        {
            // The ELF layer alone may still accept it (e.g. a non-BPF machine): exercise it too.
            elf = ElfReader.Read(bytes);
            throw;
        }
        int work = elf.Sections.Count + elf.Symbols.Count;
        foreach (var s in elf.Sections.Where(s => s.IsExecutable && s.Type == ElfSectionType.ProgBits && s.Data.Length % 8 == 0))
            work += InstructionCodec.Decode(s.Data, elf.IsBigEndian).Length;
        if (obj.Btf is not null) work += BtfRawFormatter.Format(obj.Btf).Length;
        if (obj.BtfExt is not null)
            work += obj.BtfExt.LineInfos.Sum(s => s.Records.Sum(r => r.FileName.Length + r.LineText.Length))
                  + obj.BtfExt.CoreRelos.Sum(s => s.Records.Sum(r => r.AccessString.Length));
        // Last, the disassembler over every program section: it checks each slot the way the
        // kernel does, so malformed code is a BpfFormatException there too.
        foreach (var p in obj.ProgramSections)
            foreach (var syntax in new[] { AsmSyntax.Lossless, AsmSyntax.Llvm })
                work += Disassembler.Disassemble(p.Instructions, syntax).Count;
        return work + obj.Maps.Count + obj.ProgramSections.Count;
    }
}
