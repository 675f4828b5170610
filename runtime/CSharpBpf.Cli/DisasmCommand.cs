using System.IO;
using CSharpBpf.Cli.Disasm;
using CSharpBpf.Object.Elf;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.Cli;

/// <summary>
/// <c>csbpf disasm FILE.o</c>: every program section of a BPF object in llvm-objdump's syntax.
/// The default output equals <c>llvm-objdump-22 -d -r --no-show-raw-insn FILE.o</c>: with -r, the map,
/// global, kfunc and subprogram each relocated instruction refers to is named (and CO-RE accesses
/// spelled out), which plain -d leaves as <c>r1 = 0x0 ll</c> / <c>call -0x1</c>. <c>--no-reloc</c> gives
/// plain -d; <c>--lossless</c> switches to the spelling the assembler reads back exactly.
/// </summary>
public sealed class DisasmCommand : ICliCommand
{
    public string Name => "disasm";

    public string Usage => "disasm FILE.o [--no-reloc] [--lossless]   program sections in llvm-objdump -d -r syntax";

    public int Run(string[] args, TextWriter output, TextWriter error)
    {
        string? path = null;
        bool relocations = true;
        var syntax = AsmSyntax.Llvm;
        foreach (var a in args)
        {
            switch (a)
            {
                case "--no-reloc": relocations = false; break;
                case "--lossless": syntax = AsmSyntax.Lossless; break;
                default:
                    if (a.StartsWith("-") || path != null)
                    {
                        error.WriteLine($"csbpf disasm: unexpected argument '{a}'; usage: csbpf {Usage}");
                        return 2;
                    }
                    path = a;
                    break;
            }
        }
        if (path is null)
        {
            error.WriteLine($"csbpf disasm: no object file given; usage: csbpf {Usage}");
            return 2;
        }
        var elf = ElfReader.Read(File.ReadAllBytes(path));
        if (!elf.IsBpf)
        {
            error.WriteLine($"csbpf disasm: {path} is not a BPF object (e_machine {elf.Machine}, expected 247)");
            return 1;
        }
        output.Write(ObjdumpListing.Render(elf, path, new ObjdumpOptions(relocations, syntax), error));
        return 0;
    }
}
