using System.Collections.Generic;
using CSharpBpf.Compiler.Ir;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.Compiler.Backend;

/// <summary>A relocation at an instruction slot (index within the function).</summary>
public sealed record InstructionReloc(int Index, MReloc Reloc);

/// <summary>A line_info entry: the instruction slot where code for a C# location starts.</summary>
public sealed record LineEntry(int Index, SourceLocation Location);

/// <summary>A CO-RE relocation on the instruction at <see cref="Index"/>.</summary>
public sealed record CoreEntry(int Index, CoreAccess Access);

/// <summary>The machine code of one function, with what the object emitter needs around it.</summary>
public sealed class CompiledFunction
{
    public CompiledFunction(IrFunction source, Instruction[] code, IReadOnlyList<InstructionReloc> relocs,
        IReadOnlyList<LineEntry> lines, IReadOnlyList<CoreEntry> core, int stackSize)
    {
        Source = source;
        Code = code;
        Relocs = relocs;
        Lines = lines;
        Core = core;
        StackSize = stackSize;
    }

    public IrFunction Source { get; }
    public Instruction[] Code { get; }
    public IReadOnlyList<InstructionReloc> Relocs { get; }
    public IReadOnlyList<LineEntry> Lines { get; }
    public IReadOnlyList<CoreEntry> Core { get; }
    public int StackSize { get; }
    public string Name => Source.Name;
}
