using CSharpBpf.Linux.KernelTypes;
using CSharpBpf.Linux.Loader;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Core;

namespace CSharpBpf.Linux.Core;

/// <summary>
/// CO-RE against the running kernel: the engine (<see cref="CoreResolver"/>, <see cref="CorePatcher"/>
/// in CSharpBpf.Object.Core) run with the kernel's BTF (vmlinux, then module split BTF read on
/// demand) as target, its errors reported as the loader's <see cref="CoreRelocationException"/>.
/// </summary>
public static class KernelCore
{
    /// <summary>Resolves one relocation of <paramref name="local"/> against <paramref name="kernel"/>.</summary>
    public static CoreResult Resolve(Btf local, BtfCoreRelo relo, KernelBtf kernel)
    {
        try
        {
            return CoreResolver.Resolve(local, relo, kernel.CoreTarget);
        }
        catch (CoreResolutionException e)
        {
            throw new CoreRelocationException(e);
        }
    }

    /// <summary>Resolves and patches every CO-RE relocation of a linked program; poisoned ones are recorded with why.</summary>
    public static void Relocate(LinkedProgram linked, Btf local, KernelBtf kernel)
    {
        foreach (var (index, relo) in linked.CoreRelos)
        {
            var result = Resolve(local, relo, kernel);
            if (result.Poison) linked.PoisonedRelocations[index] = result.Description;
            try
            {
                CorePatcher.Apply(linked.Instructions, index, relo, result);
            }
            catch (CoreResolutionException e)
            {
                throw new CoreRelocationException(e);
            }
        }
    }
}
