import { createApp } from 'vue'
import './app.css'
import App from './App.vue'

createApp(App).mount('#app')
