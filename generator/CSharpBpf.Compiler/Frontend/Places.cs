using Microsoft.CodeAnalysis;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Frontend;

/// <summary>Where a C# storage location lives: a register, or memory at base + offset.</summary>
internal abstract class Place
{
    protected Place(ITypeSymbol type) => Type = type;
    public ITypeSymbol Type { get; }
}

/// <summary>A scalar local or parameter held in a virtual register.</summary>
internal sealed class RegPlace : Place
{
    public RegPlace(VReg reg, ITypeSymbol type) : base(type) => Reg = reg;
    public VReg Reg { get; }
}

/// <summary>Memory: a frame slot, a global, a map value, a struct field, *p or p[i].</summary>
internal sealed class MemPlace : Place
{
    public MemPlace(VReg @base, int offset, ITypeSymbol type) : base(type) { Base = @base; Offset = offset; }
    public VReg Base { get; }
    public int Offset { get; }
    /// <summary>CO-RE access when this is a field of a kernel type reached through a pointer (kernelkinds).</summary>
    public CoreAccess? Core { get; set; }
    public MemPlace WithOffset(int delta, ITypeSymbol type) => new(Base, Offset + delta, type);
}

/// <summary>How a local or parameter is stored for the whole function.</summary>
internal abstract class LocalStorage
{
}

internal sealed class RegStorage : LocalStorage
{
    public RegStorage(VReg reg) => Reg = reg;
    public VReg Reg { get; }
}

internal sealed class SlotStorage : LocalStorage
{
    public SlotStorage(FrameSlot slot) => Slot = slot;
    public FrameSlot Slot { get; }
}

/// <summary>A ref local or ref/out/in parameter: the register holds the address it refers to.</summary>
internal sealed class RefStorage : LocalStorage
{
    public RefStorage(VReg pointer) => Pointer = pointer;
    public VReg Pointer { get; set; }
}
