# One LlmRouter node. Build from the repository root: docker build -t llm-router .
# The build needs Node.js 20.19+ and npm (the web console is built with Vite; llama.cpp's libraries come with the
# LLamaSharp NuGet packages); they are taken from the official Node.js image.
FROM node:22-bookworm-slim AS node

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/npm
RUN ln -s /usr/local/lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
    && ln -s /usr/local/lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx
WORKDIR /src
COPY . .
RUN dotnet publish src/Silo/LlmRouter.Silo.csproj -c Release -o /app -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# LLamaSharp's llama.cpp build uses OpenMP.
RUN apt-get update && apt-get install -y --no-install-recommends libgomp1 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
ENV LLM_ROUTER_HOST=0.0.0.0 \
    LLM_ROUTER_PORT=8000
EXPOSE 8000
ENTRYPOINT ["dotnet", "LlmRouter.Silo.dll"]
