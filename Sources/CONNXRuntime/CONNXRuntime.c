// Loading ONNX Runtime with dlopen, and compile-time plus run-time checks of the OrtApi layout
// declared in include/CONNXRuntime.h.
#define _GNU_SOURCE
#include "CONNXRuntime.h"

#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

// OrtApiBase never changes (ONNX Runtime asserts the same).
_Static_assert(sizeof(OrtApiBase) == 2 * sizeof(void *), "OrtApiBase is two function pointers");
_Static_assert(offsetof(OrtApiBase, GetVersionString) == sizeof(void *), "OrtApiBase layout");

// Every OrtApi entry is one pointer, no padding.
_Static_assert(sizeof(OrtApi) == 209 * sizeof(void *), "OrtApi is declared through entry 208 (ReleaseCUDAProviderOptions)");

// ONNX Runtime's own checkpoints ("Size of version N API cannot change", onnxruntime_c_api.cc),
// then every entry we call at the index it has in onnxruntime_c_api.h.
_Static_assert(offsetof(OrtApi, unused101_ReleaseCustomOpDomain) / sizeof(void *) == 101, "OrtApi layout: ReleaseCustomOpDomain must be entry 101");
_Static_assert(offsetof(OrtApi, SessionGetModelMetadata) / sizeof(void *) == 111, "OrtApi layout: SessionGetModelMetadata must be entry 111");
_Static_assert(offsetof(OrtApi, ModelMetadataLookupCustomMetadataMap) / sizeof(void *) == 116, "OrtApi layout: ModelMetadataLookupCustomMetadataMap must be entry 116");
_Static_assert(offsetof(OrtApi, ReleaseModelMetadata) / sizeof(void *) == 118, "OrtApi layout: ReleaseModelMetadata must be entry 118");
_Static_assert(offsetof(OrtApi, unused124_AddFreeDimensionOverrideByName) / sizeof(void *) == 124, "OrtApi layout: AddFreeDimensionOverrideByName must be entry 124");
_Static_assert(offsetof(OrtApi, ReleaseAvailableProviders) / sizeof(void *) == 126, "OrtApi layout: ReleaseAvailableProviders must be entry 126");
_Static_assert(offsetof(OrtApi, unused149_SetGlobalSpinControl) / sizeof(void *) == 149, "OrtApi layout: SetGlobalSpinControl must be entry 149");
_Static_assert(offsetof(OrtApi, unused157_ReleaseArenaCfg) / sizeof(void *) == 157, "OrtApi layout: ReleaseArenaCfg must be entry 157");
_Static_assert(offsetof(OrtApi, unused161_GetCurrentGpuDeviceId) / sizeof(void *) == 161, "OrtApi layout: GetCurrentGpuDeviceId must be entry 161");
_Static_assert(offsetof(OrtApi, unused169_CreateSessionFromArrayWithPrepackedWeightsContainer) / sizeof(void *) == 169, "OrtApi layout: CreateSessionFromArrayWithPrepackedWeightsContainer must be entry 169");
_Static_assert(offsetof(OrtApi, unused191_GetSparseTensorIndices) / sizeof(void *) == 191, "OrtApi layout: GetSparseTensorIndices must be entry 191");
_Static_assert(offsetof(OrtApi, unused203_SynchronizeBoundOutputs) / sizeof(void *) == 203, "OrtApi layout: SynchronizeBoundOutputs must be entry 203");
_Static_assert(offsetof(OrtApi, CreateStatus) / sizeof(void *) == 0, "OrtApi layout: CreateStatus must be entry 0");
_Static_assert(offsetof(OrtApi, GetErrorCode) / sizeof(void *) == 1, "OrtApi layout: GetErrorCode must be entry 1");
_Static_assert(offsetof(OrtApi, GetErrorMessage) / sizeof(void *) == 2, "OrtApi layout: GetErrorMessage must be entry 2");
_Static_assert(offsetof(OrtApi, CreateEnv) / sizeof(void *) == 3, "OrtApi layout: CreateEnv must be entry 3");
_Static_assert(offsetof(OrtApi, CreateSession) / sizeof(void *) == 7, "OrtApi layout: CreateSession must be entry 7");
_Static_assert(offsetof(OrtApi, Run) / sizeof(void *) == 9, "OrtApi layout: Run must be entry 9");
_Static_assert(offsetof(OrtApi, CreateSessionOptions) / sizeof(void *) == 10, "OrtApi layout: CreateSessionOptions must be entry 10");
_Static_assert(offsetof(OrtApi, SetSessionExecutionMode) / sizeof(void *) == 13, "OrtApi layout: SetSessionExecutionMode must be entry 13");
_Static_assert(offsetof(OrtApi, SetSessionGraphOptimizationLevel) / sizeof(void *) == 23, "OrtApi layout: SetSessionGraphOptimizationLevel must be entry 23");
_Static_assert(offsetof(OrtApi, SetIntraOpNumThreads) / sizeof(void *) == 24, "OrtApi layout: SetIntraOpNumThreads must be entry 24");
_Static_assert(offsetof(OrtApi, AddSessionConfigEntry) / sizeof(void *) == 130, "OrtApi layout: AddSessionConfigEntry must be entry 130");
_Static_assert(offsetof(OrtApi, SetInterOpNumThreads) / sizeof(void *) == 25, "OrtApi layout: SetInterOpNumThreads must be entry 25");
_Static_assert(offsetof(OrtApi, SessionGetInputCount) / sizeof(void *) == 30, "OrtApi layout: SessionGetInputCount must be entry 30");
_Static_assert(offsetof(OrtApi, SessionGetOutputCount) / sizeof(void *) == 31, "OrtApi layout: SessionGetOutputCount must be entry 31");
_Static_assert(offsetof(OrtApi, SessionGetInputTypeInfo) / sizeof(void *) == 33, "OrtApi layout: SessionGetInputTypeInfo must be entry 33");
_Static_assert(offsetof(OrtApi, SessionGetOutputTypeInfo) / sizeof(void *) == 34, "OrtApi layout: SessionGetOutputTypeInfo must be entry 34");
_Static_assert(offsetof(OrtApi, SessionGetInputName) / sizeof(void *) == 36, "OrtApi layout: SessionGetInputName must be entry 36");
_Static_assert(offsetof(OrtApi, SessionGetOutputName) / sizeof(void *) == 37, "OrtApi layout: SessionGetOutputName must be entry 37");
_Static_assert(offsetof(OrtApi, CreateTensorWithDataAsOrtValue) / sizeof(void *) == 49, "OrtApi layout: CreateTensorWithDataAsOrtValue must be entry 49");
_Static_assert(offsetof(OrtApi, GetTensorMutableData) / sizeof(void *) == 51, "OrtApi layout: GetTensorMutableData must be entry 51");
_Static_assert(offsetof(OrtApi, CastTypeInfoToTensorInfo) / sizeof(void *) == 55, "OrtApi layout: CastTypeInfoToTensorInfo must be entry 55");
_Static_assert(offsetof(OrtApi, GetOnnxTypeFromTypeInfo) / sizeof(void *) == 56, "OrtApi layout: GetOnnxTypeFromTypeInfo must be entry 56");
_Static_assert(offsetof(OrtApi, GetTensorElementType) / sizeof(void *) == 60, "OrtApi layout: GetTensorElementType must be entry 60");
_Static_assert(offsetof(OrtApi, GetDimensionsCount) / sizeof(void *) == 61, "OrtApi layout: GetDimensionsCount must be entry 61");
_Static_assert(offsetof(OrtApi, GetDimensions) / sizeof(void *) == 62, "OrtApi layout: GetDimensions must be entry 62");
_Static_assert(offsetof(OrtApi, GetTensorTypeAndShape) / sizeof(void *) == 65, "OrtApi layout: GetTensorTypeAndShape must be entry 65");
_Static_assert(offsetof(OrtApi, CreateCpuMemoryInfo) / sizeof(void *) == 69, "OrtApi layout: CreateCpuMemoryInfo must be entry 69");
_Static_assert(offsetof(OrtApi, MemoryInfoGetName) / sizeof(void *) == 71, "OrtApi layout: MemoryInfoGetName must be entry 71");
_Static_assert(offsetof(OrtApi, MemoryInfoGetId) / sizeof(void *) == 72, "OrtApi layout: MemoryInfoGetId must be entry 72");
_Static_assert(offsetof(OrtApi, MemoryInfoGetMemType) / sizeof(void *) == 73, "OrtApi layout: MemoryInfoGetMemType must be entry 73");
_Static_assert(offsetof(OrtApi, MemoryInfoGetType) / sizeof(void *) == 74, "OrtApi layout: MemoryInfoGetType must be entry 74");
_Static_assert(offsetof(OrtApi, AllocatorFree) / sizeof(void *) == 76, "OrtApi layout: AllocatorFree must be entry 76");
_Static_assert(offsetof(OrtApi, GetAllocatorWithDefaultOptions) / sizeof(void *) == 78, "OrtApi layout: GetAllocatorWithDefaultOptions must be entry 78");
_Static_assert(offsetof(OrtApi, ReleaseEnv) / sizeof(void *) == 92, "OrtApi layout: ReleaseEnv must be entry 92");
_Static_assert(offsetof(OrtApi, ReleaseStatus) / sizeof(void *) == 93, "OrtApi layout: ReleaseStatus must be entry 93");
_Static_assert(offsetof(OrtApi, ReleaseMemoryInfo) / sizeof(void *) == 94, "OrtApi layout: ReleaseMemoryInfo must be entry 94");
_Static_assert(offsetof(OrtApi, ReleaseSession) / sizeof(void *) == 95, "OrtApi layout: ReleaseSession must be entry 95");
_Static_assert(offsetof(OrtApi, ReleaseValue) / sizeof(void *) == 96, "OrtApi layout: ReleaseValue must be entry 96");
_Static_assert(offsetof(OrtApi, ReleaseTypeInfo) / sizeof(void *) == 98, "OrtApi layout: ReleaseTypeInfo must be entry 98");
_Static_assert(offsetof(OrtApi, ReleaseTensorTypeAndShapeInfo) / sizeof(void *) == 99, "OrtApi layout: ReleaseTensorTypeAndShapeInfo must be entry 99");
_Static_assert(offsetof(OrtApi, ReleaseSessionOptions) / sizeof(void *) == 100, "OrtApi layout: ReleaseSessionOptions must be entry 100");
_Static_assert(offsetof(OrtApi, GetAvailableProviders) / sizeof(void *) == 125, "OrtApi layout: GetAvailableProviders must be entry 125");
_Static_assert(offsetof(OrtApi, ReleaseAvailableProviders) / sizeof(void *) == 126, "OrtApi layout: ReleaseAvailableProviders must be entry 126");
_Static_assert(offsetof(OrtApi, SessionOptionsAppendExecutionProvider_TensorRT_V2) / sizeof(void *) == 170, "OrtApi layout: SessionOptionsAppendExecutionProvider_TensorRT_V2 must be entry 170");
_Static_assert(offsetof(OrtApi, CreateTensorRTProviderOptions) / sizeof(void *) == 171, "OrtApi layout: CreateTensorRTProviderOptions must be entry 171");
_Static_assert(offsetof(OrtApi, UpdateTensorRTProviderOptions) / sizeof(void *) == 172, "OrtApi layout: UpdateTensorRTProviderOptions must be entry 172");
_Static_assert(offsetof(OrtApi, ReleaseTensorRTProviderOptions) / sizeof(void *) == 174, "OrtApi layout: ReleaseTensorRTProviderOptions must be entry 174");
_Static_assert(offsetof(OrtApi, SessionOptionsAppendExecutionProvider_CUDA_V2) / sizeof(void *) == 204, "OrtApi layout: SessionOptionsAppendExecutionProvider_CUDA_V2 must be entry 204");
_Static_assert(offsetof(OrtApi, CreateCUDAProviderOptions) / sizeof(void *) == 205, "OrtApi layout: CreateCUDAProviderOptions must be entry 205");
_Static_assert(offsetof(OrtApi, UpdateCUDAProviderOptions) / sizeof(void *) == 206, "OrtApi layout: UpdateCUDAProviderOptions must be entry 206");
_Static_assert(offsetof(OrtApi, ReleaseCUDAProviderOptions) / sizeof(void *) == 208, "OrtApi layout: ReleaseCUDAProviderOptions must be entry 208");

static void qort_format(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void qort_format(char *err, size_t errlen, const char *fmt, ...) {
    if (err == NULL || errlen == 0) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

int qort_check_abi(const OrtApi *api, char *err, size_t errlen) {
    // Entries 0, 1, 2, 93: a status round trip.
    static const char probe[] = "quiver OrtApi layout probe";
    OrtStatus *st = api->CreateStatus(ORT_INVALID_GRAPH, probe);
    if (st == NULL) {
        qort_format(err, errlen, "CreateStatus returned NULL");
        return 1;
    }
    OrtErrorCode code = api->GetErrorCode(st);
    const char *msg = api->GetErrorMessage(st);
    int ok = code == ORT_INVALID_GRAPH && msg != NULL && strcmp(msg, probe) == 0;
    api->ReleaseStatus(st);
    if (!ok) {
        qort_format(err, errlen, "status round trip returned code %d", (int)code);
        return 1;
    }

    // Entries 69, 71-74, 94: the getters return what CreateCpuMemoryInfo was given.
    OrtMemoryInfo *info = NULL;
    st = api->CreateCpuMemoryInfo(OrtArenaAllocator, OrtMemTypeCPU, &info);
    if (st != NULL || info == NULL) {
        qort_format(err, errlen, "CreateCpuMemoryInfo failed: %s", st ? api->GetErrorMessage(st) : "NULL info");
        api->ReleaseStatus(st);
        return 1;
    }
    const char *name = NULL;
    int id = -1;
    OrtMemType mem_type = OrtMemTypeDefault;
    OrtAllocatorType alloc_type = OrtInvalidAllocator;
    OrtStatus *s1 = api->MemoryInfoGetName(info, &name);
    OrtStatus *s2 = api->MemoryInfoGetId(info, &id);
    OrtStatus *s3 = api->MemoryInfoGetMemType(info, &mem_type);
    OrtStatus *s4 = api->MemoryInfoGetType(info, &alloc_type);
    ok = s1 == NULL && s2 == NULL && s3 == NULL && s4 == NULL && name != NULL && strcmp(name, "Cpu") == 0 &&
         id == 0 && mem_type == OrtMemTypeCPU && alloc_type == OrtArenaAllocator;
    api->ReleaseStatus(s1);
    api->ReleaseStatus(s2);
    api->ReleaseStatus(s3);
    api->ReleaseStatus(s4);
    api->ReleaseMemoryInfo(info);
    if (!ok) {
        qort_format(err, errlen, "CPU memory info probe returned name=%s id=%d mem_type=%d allocator=%d",
                    name ? name : "(null)", id, (int)mem_type, (int)alloc_type);
        return 1;
    }

    // Entries 125, 126: the provider list names the CPU provider.
    char **providers = NULL;
    int count = 0;
    st = api->GetAvailableProviders(&providers, &count);
    if (st != NULL) {
        qort_format(err, errlen, "GetAvailableProviders failed: %s", api->GetErrorMessage(st));
        api->ReleaseStatus(st);
        return 1;
    }
    ok = 0;
    for (int i = 0; i < count; i++) {
        if (providers[i] != NULL && strcmp(providers[i], "CPUExecutionProvider") == 0) ok = 1;
    }
    api->ReleaseStatus(api->ReleaseAvailableProviders(providers, count));
    if (!ok) {
        qort_format(err, errlen, "GetAvailableProviders did not list CPUExecutionProvider (%d providers)", count);
        return 1;
    }
    return 0;
}

const OrtApi *qort_load(const char *path, const char **version_out, QORTLoadFailure *failure, char *err,
                        size_t errlen) {
    if (version_out != NULL) *version_out = NULL;
    *failure = QORT_LOAD_OK;

    dlerror();
    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        const char *why = dlerror();
        *failure = QORT_LOAD_LIBRARY;
        if (strchr(path, '/') == NULL) {
            qort_format(err, errlen,
                        "ONNX Runtime library %s not found on the library search path (set --onnxruntime-library or "
                        "ONNXRUNTIME_LIBRARY): %s",
                        path, why ? why : "dlopen failed");
        } else if (access(path, F_OK) != 0) {
            qort_format(err, errlen,
                        "ONNX Runtime library not found at %s (set --onnxruntime-library or ONNXRUNTIME_LIBRARY): %s",
                        path, why ? why : "no such file");
        } else {
            qort_format(err, errlen,
                        "ONNX Runtime library at %s could not be loaded (set --onnxruntime-library or "
                        "ONNXRUNTIME_LIBRARY): %s",
                        path, why ? why : "dlopen failed");
        }
        return NULL;
    }

    dlerror();
    void *sym = dlsym(handle, "OrtGetApiBase");
    if (sym == NULL) {
        const char *why = dlerror();
        *failure = QORT_LOAD_SYMBOL;
        qort_format(err, errlen, "%s is not an ONNX Runtime library: symbol OrtGetApiBase not found (%s)", path,
                    why ? why : "dlsym returned NULL");
        dlclose(handle);
        return NULL;
    }
    const OrtApiBase *(*get_api_base)(void) = (const OrtApiBase *(*)(void))sym;
    const OrtApiBase *base = get_api_base();
    if (base == NULL) {
        *failure = QORT_LOAD_SYMBOL;
        qort_format(err, errlen, "%s: OrtGetApiBase() returned NULL", path);
        return NULL;
    }
    const char *version = base->GetVersionString();
    if (version_out != NULL) *version_out = version;

    const OrtApi *api = base->GetApi(QORT_API_VERSION);
    if (api == NULL) {
        *failure = QORT_LOAD_API_VERSION;
        qort_format(err, errlen,
                    "ONNX Runtime %s at %s does not provide C API version %u (ONNX Runtime 1.11 or newer is needed)",
                    version ? version : "(unknown version)", path, QORT_API_VERSION);
        return NULL;
    }

    char why[512] = {0};
    if (qort_check_abi(api, why, sizeof why) != 0) {
        *failure = QORT_LOAD_ABI;
        qort_format(err, errlen, "ONNX Runtime %s at %s does not match the OrtApi layout quiver was built with: %s",
                    version ? version : "(unknown version)", path, why);
        return NULL;
    }
    return api;
}
